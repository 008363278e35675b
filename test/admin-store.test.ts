import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdminStore } from '../src/admin/admin-store.js';
import { readHealth } from '../src/admin/health.js';
import { noopLogger } from '../src/runtime/logger.js';
import { createDrizzleStores } from '../src/store/drizzle-stores.js';
import { openNodeDatabase, type NodeDatabase } from '../src/store/open-node-database.js';

/** The admin store's SQL on a database migrated by the shipped migrations, with rows of known times. */
let directory: string;
let database: NodeDatabase;
let store: AdminStore;
let sqlite: BetterSqlite.Database;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'admin-store-'));
  database = openNodeDatabase(join(directory, 'bridge.db'));
  store = createDrizzleStores(database.db, database.atomic, database.grouped, noopLogger).admin;
  sqlite = new BetterSqlite(join(directory, 'bridge.db'));
});
afterEach(() => {
  sqlite.close();
  database.close();
  rmSync(directory, { recursive: true, force: true });
});

const minute = 60_000;
const t0 = Date.UTC(2026, 0, 1, 10, 0);
let nextRound = 0;

function insertRound(at: number, status: string, latencyMs: number | null) {
  nextRound += 1;
  const result = sqlite
    .prepare(
      `insert into rounds (cid, roundid, question, input_type, msg_type, status, latency_ms, created_at, updated_at)
       values ('c', ?, 'q', 'INPUT', 'TEXT', ?, ?, ?, ?)`,
    )
    .run(`r${nextRound}`, status, latencyMs, at, at);
  return Number(result.lastInsertRowid);
}

function insertCallback(createdAt: number, status: string, leftAt: number | null) {
  const roundId = insertRound(createdAt, 'succeeded', 10);
  sqlite
    .prepare(
      `insert into callbacks (round_id, cid, roundid, kind, payload, status, next_attempt_at, created_at, queued_at, updated_at, delivered_at)
       values (?, 'c', ?, 'batch', '{}', ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      roundId,
      `cb${roundId}`,
      status,
      createdAt,
      createdAt,
      createdAt,
      leftAt ?? createdAt,
      status === 'delivered' ? leftAt : null,
    );
}

describe('round activity', () => {
  it('counts rounds and failures per bucket, with nearest-rank p50 and p95 of the finished ones', async () => {
    // Minute 0: latencies 1..20 (p50 10, p95 19), one failed, one still running.
    for (let latency = 1; latency <= 20; latency++)
      insertRound(t0 + latency * 100, latency === 7 ? 'failed' : 'succeeded', latency);
    insertRound(t0 + 5000, 'running', null);
    // Minute 2: one round.
    insertRound(t0 + 2 * minute + 1, 'succeeded', 300);
    // Outside the window.
    insertRound(t0 - 1, 'failed', 5);
    insertRound(t0 + 3 * minute, 'failed', 5);

    const activity = await store.roundActivity({ from: t0, to: t0 + 3 * minute, bucketMs: minute });
    expect(activity).toEqual([
      { bucket: 0, rounds: 21, failed: 1, p50Ms: 10, p95Ms: 19 },
      { bucket: 2, rounds: 1, failed: 0, p50Ms: 300, p95Ms: 300 },
    ]);
  });
});

describe('outbox depth', () => {
  it('counts callbacks waiting at the end of each bucket, from their rows', async () => {
    insertCallback(t0 + 10, 'delivered', t0 + minute + 10); // waits through minute 0
    insertCallback(t0 + minute + 20, 'dead', t0 + 3 * minute + 30); // waits through minutes 1 and 2
    insertCallback(t0 + 2 * minute + 40, 'pending', null); // still waiting
    insertCallback(t0 - 5 * minute, 'delivered', t0 - 4 * minute); // long gone

    expect(await store.outboxDepth({ from: t0, to: t0 + 4 * minute, bucketMs: minute })).toEqual([1, 1, 2, 1]);
    expect(await store.outboxDepth({ from: t0, to: t0 + 4 * minute, bucketMs: 2 * minute })).toEqual([1, 1]);
  });
});

describe('health', () => {
  it('fills empty buckets and computes rates per minute', async () => {
    const now = t0 + 59 * minute + 30_000;
    insertRound(now - 10_000, 'succeeded', 100);
    insertRound(now - 5_000, 'failed', 300);
    const health = await readHealth(store, 'hour', now);
    expect(health.points).toHaveLength(60);
    expect(health.to).toBe(t0 + 60 * minute);
    expect(health.points.at(-1)).toMatchObject({
      rounds: 2,
      failed: 1,
      errorRate: 0.5,
      roundsPerMinute: 2,
      p50Ms: 100,
      p95Ms: 300,
    });
    expect(health.points[0]).toMatchObject({ rounds: 0, errorRate: null, p50Ms: null, outboxDepth: 0 });
    expect(health.totals).toMatchObject({ rounds: 2, failed: 1, errorRate: 0.5, p50Ms: 100, p95Ms: 300 });
    expect(health.totals.roundsPerMinute).toBeCloseTo(2 / 60);
  });
});
