import type { CallbackStatus } from '../store/schema.js';
import type { AdminStore, TimeWindow } from './admin-store.js';

/** The dashboard's two windows: the last hour by minute, the last day by quarter hour. */
export const healthRanges = {
  hour: { bucketMs: 60_000, buckets: 60 },
  day: { bucketMs: 15 * 60_000, buckets: 96 },
} as const;
export type HealthRange = keyof typeof healthRanges;

export interface HealthTotals {
  rounds: number;
  failed: number;
  roundsPerMinute: number;
  /** Failed rounds among those received; null without rounds. */
  errorRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
}

/** One bucket of the charts: its totals, and the outbox as it stood. */
export interface HealthPoint extends HealthTotals {
  /** The bucket's start, Unix milliseconds. */
  at: number;
  /** Callbacks waiting at the bucket's end. */
  outboxDepth: number;
}

export interface Health {
  range: HealthRange;
  from: number;
  to: number;
  bucketMs: number;
  points: HealthPoint[];
  totals: HealthTotals;
  /** The outbox now. */
  outbox: Record<CallbackStatus, number>;
}

/** Whole buckets ending after `now`, so the current minute (or quarter) is the last bucket. */
function healthWindow(range: HealthRange, now: number): TimeWindow {
  const { bucketMs, buckets } = healthRanges[range];
  const to = Math.floor(now / bucketMs) * bucketMs + bucketMs;
  return { from: to - buckets * bucketMs, to, bucketMs };
}

export async function readHealth(store: AdminStore, range: HealthRange, now: number): Promise<Health> {
  const window = healthWindow(range, now);
  const whole = { ...window, bucketMs: window.to - window.from };
  const [activity, [overall], depth, outbox] = await Promise.all([
    store.roundActivity(window),
    store.roundActivity(whole),
    store.outboxDepth(window),
    store.callbacks.counts(),
  ]);
  const byBucket = new Map(activity.map((bucket) => [bucket.bucket, bucket]));
  const minutes = (ms: number) => ms / 60_000;
  const points = Array.from({ length: healthRanges[range].buckets }, (_, index): HealthPoint => {
    const bucket = byBucket.get(index);
    const rounds = bucket?.rounds ?? 0;
    const failed = bucket?.failed ?? 0;
    return {
      at: window.from + index * window.bucketMs,
      rounds,
      failed,
      roundsPerMinute: rounds / minutes(window.bucketMs),
      errorRate: rounds > 0 ? failed / rounds : null,
      p50Ms: bucket?.p50Ms ?? null,
      p95Ms: bucket?.p95Ms ?? null,
      outboxDepth: depth[index] ?? 0,
    };
  });
  const rounds = overall?.rounds ?? 0;
  const failed = overall?.failed ?? 0;
  return {
    range,
    ...window,
    points,
    totals: {
      rounds,
      failed,
      roundsPerMinute: rounds / minutes(window.to - window.from),
      errorRate: rounds > 0 ? failed / rounds : null,
      p50Ms: overall?.p50Ms ?? null,
      p95Ms: overall?.p95Ms ?? null,
    },
    outbox,
  };
}
