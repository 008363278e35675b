import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { noopLogger } from '../src/runtime/logger.js';
import type { CallbackStore } from '../src/store/callback-store.js';
import { createDrizzleStores } from '../src/store/drizzle-stores.js';
import { openNodeDatabase, type NodeDatabase } from '../src/store/open-node-database.js';

/** Two connections to one database, as two bridge processes have: the lease must let only one deliver. */
let directory: string;
let databases: NodeDatabase[];
let stores: CallbackStore[];

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'callback-lease-'));
  const path = join(directory, 'bridge.db');
  databases = [openNodeDatabase(path), openNodeDatabase(path)];
  stores = databases.map(
    (database) => createDrizzleStores(database.db, database.atomic, database.grouped, noopLogger).callbacks,
  );
  const sqlite = new BetterSqlite(path);
  sqlite.exec(`
    insert into rounds (id, cid, roundid, question, input_type, msg_type, status, created_at, updated_at)
      values (1, 'c1', 'r1', 'Hi', 'INPUT', 'TEXT', 'succeeded', 0, 0);
    insert into callbacks (id, round_id, cid, roundid, kind, payload, status, next_attempt_at, created_at, queued_at, updated_at)
      values (1, 1, 'c1', 'r1', 'batch', '{}', 'pending', 1000, 1000, 1000, 1000);`);
  sqlite.close();
});
afterEach(() => {
  for (const database of databases) database.close();
  rmSync(directory, { recursive: true, force: true });
});

it('lets one of two processes lease a due callback, the other only once the lease has run out', async () => {
  const [first, second] = stores as [CallbackStore, CallbackStore];
  expect(await first.lease(1, 2000, 12_000)).toMatchObject({ id: 1, attempts: 1, leaseUntil: 12_000 });
  expect(await second.lease(1, 2000, 12_000)).toBeUndefined();
  expect(await second.lease(1, 12_000, 22_000)).toBeUndefined();
  // The first deliverer died with the lease: after it, the callback is another's to try.
  expect(await second.lease(1, 12_001, 22_001)).toMatchObject({ id: 1, attempts: 2 });
});

it('leases no callback before it is due, nor one already delivered', async () => {
  const [first, second] = stores as [CallbackStore, CallbackStore];
  expect(await first.lease(1, 999, 10_999)).toBeUndefined();
  expect(await first.lease(1, 1000, 11_000)).toMatchObject({ id: 1 });
  await first.markDelivered(1, 1500, 200);
  expect(await second.lease(1, 20_000, 30_000)).toBeUndefined();
});

it('requeues a pending callback only while no deliverer holds its lease, so it is never sent twice at once', async () => {
  const [first, second] = stores as [CallbackStore, CallbackStore];
  expect(await first.lease(1, 2000, 12_000)).toMatchObject({ id: 1, attempts: 1 });
  // An operator's "retry now" during that attempt leaves it alone; the other deliverer still cannot lease it.
  expect(await second.requeue(1, 3000)).toBe(false);
  expect(await second.lease(1, 3000, 13_000)).toBeUndefined();
  // Once the lease has run out (its deliverer died), the retry takes: due now, attempts counted afresh.
  expect(await second.requeue(1, 12_001)).toBe(true);
  expect(await second.lease(1, 12_001, 22_001)).toMatchObject({ id: 1, attempts: 1 });
});
