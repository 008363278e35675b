import { eq, inArray, sql } from 'drizzle-orm';
import type { SqliteDatabase } from '../store/sqlite-database.js';
import { callbacks, rounds } from '../store/schema.js';

/** Values any process or instance can read from the shared database, at scrape time. */
export interface DatabaseSnapshot {
  pendingCallbacks: number;
  /** Pending callbacks whose last attempt failed. */
  retryingCallbacks: number;
  deadCallbacks: number;
  /** When the oldest pending callback was queued; undefined when none is pending. */
  oldestPendingQueuedAt?: number | undefined;
  runningRounds: number;
}

export interface MetricsStore {
  snapshot(): Promise<DatabaseSnapshot>;
}

/** Two indexed reads (by callback status, by round status), cheap however many rows are delivered. */
export function createDrizzleMetricsStore(db: SqliteDatabase): MetricsStore {
  const outbox = db
    .select({
      status: callbacks.status,
      count: sql<number>`count(*)`,
      failing: sql<number>`coalesce(sum(${callbacks.lastError} is not null), 0)`,
      oldest: sql<number | null>`min(${callbacks.queuedAt})`,
    })
    .from(callbacks)
    .where(inArray(callbacks.status, ['pending', 'dead']))
    .groupBy(callbacks.status)
    .prepare();
  const running = db
    .select({ count: sql<number>`count(*)` })
    .from(rounds)
    .where(eq(rounds.status, 'running'))
    .prepare();

  return {
    async snapshot() {
      const byStatus = await outbox.all();
      const [runningRow] = await running.all();
      const pending = byStatus.find((row) => row.status === 'pending');
      const dead = byStatus.find((row) => row.status === 'dead');
      return {
        pendingCallbacks: pending?.count ?? 0,
        retryingCallbacks: pending?.failing ?? 0,
        deadCallbacks: dead?.count ?? 0,
        oldestPendingQueuedAt: pending?.oldest ?? undefined,
        runningRounds: runningRow?.count ?? 0,
      };
    },
  };
}
