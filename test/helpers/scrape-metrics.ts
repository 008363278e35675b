import { expect } from 'vitest';
import type { Bridge } from './bridge.js';

/** Samples of the bridge's Prometheus text exposition, keyed `name{labels}` as written. */
export async function scrape(bridge: Bridge, headers: Record<string, string> = {}): Promise<Map<string, number>> {
  const response = await fetch(`${bridge.url}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}
