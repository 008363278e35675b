import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openNodeDatabase, type NodeDatabase } from '../src/store/open-node-database.js';
import { waitFor } from './helpers/wait-for.js';

describe('the WAL checkpoint', () => {
  let directory: string | undefined;
  let database: NodeDatabase | undefined;
  afterEach(() => {
    database?.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('runs in a thread of its own: writes leave it alone, and the log still reaches the database file', async () => {
    directory = mkdtempSync(join(tmpdir(), 'bridge-wal-'));
    const path = join(directory, 'bridge.db');
    const warnings: string[] = [];
    database = openNodeDatabase(path, { warn: (message) => warnings.push(message), checkpointIntervalMs: 2000 });
    const { db } = database;
    await db.run(sql`create table filler (id integer primary key, text text)`);
    const sizeBefore = statSync(path).size;
    // About 5 MB, over 1,200 pages: past SQLite's default of 1,000, one of these writes would have
    // checkpointed (and the database file grown) before the loop ended. Here none does.
    for (let index = 0; index < 2500; index++) {
      await db.run(sql`insert into filler (text) values (${'x'.repeat(2000)})`);
    }
    // (The thread's first checkpoint comes two seconds after opening: long after these writes.)
    expect(statSync(path).size).toBe(sizeBefore);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(5_000_000);
    await waitFor(() => statSync(path).size > sizeBefore + 5_000_000, 'the checkpoint thread to copy the log', 5000);
    expect(warnings).toEqual([]);
  });
});
