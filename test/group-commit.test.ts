import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openNodeDatabase, type NodeDatabase } from '../src/store/open-node-database.js';

/**
 * Group commit, watched from a second connection (as another process would see the file): what is
 * committed, and when each grouped write's promise settles.
 */
let directory: string;
let database: NodeDatabase;
let observer: Database.Database;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'group-commit-'));
  const path = join(directory, 'bridge.db');
  database = openNodeDatabase(path);
  database.db.run(sql`create table notes (id integer primary key, body text not null)`);
  observer = new Database(path, { readonly: true });
});
afterEach(() => {
  observer.close();
  database.close();
  rmSync(directory, { recursive: true, force: true });
});

const insert = (id: number, body = `note ${id}`) =>
  database.db.run(sql`insert into notes (id, body) values (${id}, ${body})`);
const grouped = (id: number, body?: string) => database.grouped(() => insert(id, body));
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const committed = () =>
  (observer.prepare('select id from notes order by id').all() as { id: number }[]).map((row) => row.id);

describe('group commit', () => {
  it("commits a turn's first write at once, and the turn's later writes together when the turn ends", async () => {
    const first = grouped(1);
    const second = grouped(2);
    const third = grouped(3);
    expect(committed()).toEqual([1]);

    // A grouped write settles only once it is committed, and its group with it.
    await second;
    expect(committed()).toEqual([1, 2, 3]);
    await Promise.all([first, third]);
  });

  it('starts a new group in the next turn', async () => {
    await Promise.all([grouped(1), grouped(2)]);
    const later = [grouped(3), grouped(4)];
    expect(committed()).toEqual([1, 2, 3]);
    await Promise.all(later);
    expect(committed()).toEqual([1, 2, 3, 4]);
  });

  it('commits the open group before a write that is not grouped, which then commits on its own', async () => {
    const writes = [grouped(1), grouped(2)];
    insert(3);
    expect(committed()).toEqual([1, 2, 3]);
    await Promise.all(writes);
  });

  it('commits the open group before an atomic write, which stays all-or-nothing', async () => {
    const writes = [grouped(1), grouped(2)];
    const failing = database.atomic([{ run: () => insert(3) }, { run: () => insert(1, 'a duplicate of note 1') }]);
    await expect(failing).rejects.toMatchObject({ cause: { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' } });
    expect(committed()).toEqual([1, 2]);
    await Promise.all(writes);
  });

  it('fails only the write whose statement broke a constraint', async () => {
    const writes = [grouped(1), grouped(2), grouped(1, 'a duplicate of note 1'), grouped(3)];
    const outcomes = await Promise.allSettled(writes);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes[2]).toMatchObject({ reason: { cause: { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' } } });
    expect(committed()).toEqual([1, 2, 3]);
  });

  it('fails every write of the group when an error may have undone its transaction', async () => {
    await grouped(1);
    await nextTurn();
    const pages = database.db.get<{ page_count: number }>(sql`pragma page_count`) as { page_count: number };
    // No room to grow: a row too large for the pages the file has fails with SQLITE_FULL.
    database.db.all(sql.raw(`pragma max_page_count = ${pages.page_count}`));
    const first = grouped(2);
    const small = grouped(3);
    const tooLarge = grouped(4, 'x'.repeat(64 * 1024));
    await expect(first).resolves.toBeDefined();
    await expect(tooLarge).rejects.toMatchObject({ cause: { code: 'SQLITE_FULL' } });
    await expect(small).rejects.toMatchObject({ cause: { code: 'SQLITE_FULL' } });
    expect(committed()).toEqual([1, 2]);

    // The connection is left usable: the next turn's writes commit.
    database.db.all(sql`pragma max_page_count = 1073741823`);
    await Promise.all([grouped(5), grouped(6)]);
    expect(committed()).toEqual([1, 2, 5, 6]);
  });

  it('commits the open group when the database closes', () => {
    void grouped(1);
    void grouped(2);
    database.close();
    expect(committed()).toEqual([1, 2]);
    database = openNodeDatabase(join(directory, 'bridge.db'));
  });
});
