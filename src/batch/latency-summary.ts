import { percentile } from '../util/statistics.js';
import type { LatencySummary } from './batch-report.js';

/** Nearest-rank percentiles of a set of latencies, in whole milliseconds (0 for none). */
export function summariseLatency(latencies: number[]): LatencySummary {
  const at = (fraction: number) => Math.round(percentile(latencies, fraction) ?? 0);
  const mean = latencies.length ? latencies.reduce((sum, value) => sum + value, 0) / latencies.length : 0;
  return { p50: at(0.5), p90: at(0.9), p95: at(0.95), p99: at(0.99), max: at(1), mean: Math.round(mean) };
}
