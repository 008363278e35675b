import { sql } from 'drizzle-orm';
import type { SqliteDatabase } from '../store/sqlite-database.js';
import type { ActivityBucket, TimeWindow } from './admin-store.js';

/**
 * Rounds per bucket with nearest-rank latency percentiles, all in SQLite (window functions, which D1 has
 * too), so only one row per bucket leaves the database however many rounds the window holds. Rounds
 * without a latency (still running, aborted) count as received but not in the percentiles.
 */
export async function roundActivity(db: SqliteDatabase, { from, to, bucketMs }: TimeWindow): Promise<ActivityBucket[]> {
  // Cast: a driver may bind numbers as REAL, which would make this a fractional division.
  const bucket = sql`cast((created_at - ${from}) / ${bucketMs} as integer)`;
  const rows = (await db.all(sql`
    with ranked as (
      select ${bucket} as bucket, status, latency_ms,
        row_number() over (partition by ${bucket} order by latency_ms is null, latency_ms) as position,
        count(latency_ms) over (partition by ${bucket}) as measured
      from rounds
      where created_at >= ${from} and created_at < ${to}
    )
    select bucket, count(*) as rounds, coalesce(sum(status = 'failed'), 0) as failed,
      min(case when latency_ms is not null and position >= 0.5 * measured then latency_ms end) as p50,
      min(case when latency_ms is not null and position >= 0.95 * measured then latency_ms end) as p95
    from ranked group by bucket order by bucket`)) as Array<{
    bucket: number;
    rounds: number;
    failed: number;
    p50: number | null;
    p95: number | null;
  }>;
  return rows.map((row) => ({
    bucket: row.bucket,
    rounds: row.rounds,
    failed: row.failed,
    p50Ms: row.p50,
    p95Ms: row.p95,
  }));
}

/**
 * Callbacks waiting at the end of each bucket. A callback waits from its creation until it was delivered
 * (`delivered_at`) or given up (a dead row's `updated_at`); pending ones still wait. A requeued callback
 * counts as waiting since its creation: the row keeps no history of earlier deaths.
 */
export async function outboxDepth(db: SqliteDatabase, { from, to, bucketMs }: TimeWindow): Promise<number[]> {
  const rows = (await db.all(sql`
    with recursive ticks(at) as (
      select ${from + bucketMs}
      union all select at + ${bucketMs} from ticks where at + ${bucketMs} <= ${to}
    ),
    waiting as (
      select created_at,
        case status when 'delivered' then delivered_at when 'dead' then updated_at end as left_at
      from callbacks
      where created_at < ${to} and (status = 'pending' or coalesce(delivered_at, updated_at) >= ${from})
    )
    select ticks.at as at, count(waiting.created_at) as depth
    from ticks left join waiting
      on waiting.created_at <= ticks.at and (waiting.left_at is null or waiting.left_at > ticks.at)
    group by ticks.at order by ticks.at`)) as Array<{ at: number; depth: number }>;
  return rows.map((row) => row.depth);
}
