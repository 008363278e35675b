import type { Clock } from '../runtime/clock.js';
import type { Metrics } from './metrics.js';
import type { DatabaseSnapshot, MetricsStore } from './metrics-store.js';

/** The gauges read from the database, in Prometheus text format; Node and Workers expose the same. */
export function renderDatabaseGauges(snapshot: DatabaseSnapshot, now: number): string {
  const oldestAge = snapshot.oldestPendingQueuedAt === undefined ? 0 : (now - snapshot.oldestPendingQueuedAt) / 1000;
  return [
    '# HELP sobot_bridge_outbox_callbacks Callbacks to Sobot waiting in the outbox (pending) or given up (dead).',
    '# TYPE sobot_bridge_outbox_callbacks gauge',
    `sobot_bridge_outbox_callbacks{status="pending"} ${snapshot.pendingCallbacks}`,
    `sobot_bridge_outbox_callbacks{status="dead"} ${snapshot.deadCallbacks}`,
    '# HELP sobot_bridge_outbox_retrying_callbacks Pending callbacks whose last attempt failed.',
    '# TYPE sobot_bridge_outbox_retrying_callbacks gauge',
    `sobot_bridge_outbox_retrying_callbacks ${snapshot.retryingCallbacks}`,
    '# HELP sobot_bridge_outbox_oldest_pending_seconds Age of the oldest pending callback (0 when none).',
    '# TYPE sobot_bridge_outbox_oldest_pending_seconds gauge',
    `sobot_bridge_outbox_oldest_pending_seconds ${Math.max(0, oldestAge)}`,
    '# HELP sobot_bridge_rounds_running Rounds being answered now, by every process or instance on the database.',
    '# TYPE sobot_bridge_rounds_running gauge',
    `sobot_bridge_rounds_running ${snapshot.runningRounds}`,
    '',
  ].join('\n');
}

/**
 * Metrics for Workers: counters kept in an isolate would describe one isolate among many, appearing
 * and vanishing at the platform's will, so nothing is counted here; a scrape reads the database.
 * Request counts and durations are in Cloudflare's own analytics, round timings in the rounds table.
 */
export function createDatabaseMetrics(store: MetricsStore, clock: Clock): Metrics {
  return {
    roundFinished() {},
    callbackAttempted() {},
    requestRefused() {},
    rowsPruned() {},
    scrape: async () => renderDatabaseGauges(await store.snapshot(), clock.now()),
  };
}
