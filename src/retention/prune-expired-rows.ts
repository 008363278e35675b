import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { prunedTables, type PrunedRows, type RetentionStore } from '../store/retention-store.js';

const DAY_MS = 86_400_000;

export interface PruneDeps {
  retention: RetentionStore;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}

export interface PruneSettings {
  /** RETENTION_DAYS; 0 prunes nothing. */
  retentionDays: number;
  /** Rows per batch: on Node each batch holds the event loop while SQLite deletes it. */
  batchSize: number;
  /** At most this many batches per table (a Worker's cron run has a CPU budget); the next sweep goes on. */
  maxBatches?: number | undefined;
}

export const DEFAULT_PRUNE_BATCH_SIZE = 200;

/**
 * Deletes what is past retention, table by table in `prunedTables`' order, each batch after batch until one
 * comes back short or `signal` aborts (a shutdown). The event loop is handed back between batches so that a
 * backlog (retention switched on for an old database) never stalls rounds. Logs and counts what it deleted;
 * resolves with the totals.
 */
export async function pruneExpiredRows(
  deps: PruneDeps,
  settings: PruneSettings,
  signal?: AbortSignal,
): Promise<PrunedRows> {
  const totals = Object.fromEntries(prunedTables.map((table) => [table, 0])) as PrunedRows;
  if (settings.retentionDays === 0) return totals;
  const now = deps.clock.now();
  const cutoff = { before: now - settings.retentionDays * DAY_MS, now };
  for (const table of prunedTables) {
    for (let batches = 1; !signal?.aborted; batches++) {
      const deleted = await deps.retention.prune(table, cutoff, settings.batchSize);
      totals[table] += deleted;
      if (deleted > 0) deps.metrics.rowsPruned(table, deleted);
      if (deleted < settings.batchSize || batches === settings.maxBatches) break;
      // better-sqlite3 deletes synchronously: without a macrotask between batches, rounds would wait for all of them.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  if (prunedTables.some((table) => totals[table] > 0)) {
    deps.logger.info('pruned rows past retention', { retentionDays: settings.retentionDays, ...totals });
  }
  return totals;
}
