import type { LlmProfile } from './fake-llm.js';
import { closeIdleConnections, post } from './http-client.js';
import { nextTag, sobotBody, type RelaySetup } from './relay-setup.js';

/**
 * The bridge's resident memory with `streams` streamed rounds open at once (the fake model keeps each
 * going for chunks × interval), sampled every 50 ms, and again once they have all ended and the
 * process has idled for a few seconds; repeated, so growth from run to run would show.
 */
export async function measureMemory(setup: RelaySetup, profile: LlmProfile, streams: number, runs: number) {
  setup.llm.profile = profile;
  const url = new URL(`${setup.bridge.url}/sobot/agent`);
  const before = setup.bridge.rss();
  const results: Array<{ peak: number; after: number; failed: number; concurrentAtModel: number }> = [];
  for (let run = 0; run < runs; run++) {
    closeIdleConnections();
    setup.llm.resetConcurrency();
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, setup.bridge.rss())), 50);
    const exchanges = await Promise.all(
      Array.from({ length: streams }, () => post(url, sobotBody(nextTag(), true)).catch(() => undefined)),
    );
    clearInterval(sampler);
    const failed = exchanges.filter(
      (exchange) => !exchange || exchange.status !== 200 || exchange.frameArrivals.length < profile.chunks + 2,
    ).length;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    results.push({ peak, after: setup.bridge.rss(), failed, concurrentAtModel: setup.llm.maxConcurrent });
  }
  setup.llm.calls.clear();
  return { streams, before, runs: results };
}
