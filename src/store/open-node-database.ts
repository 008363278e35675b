import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { AtomicWrite, SqliteDatabase } from './sqlite-database.js';

/** The shipped migrations: the same folder `wrangler d1 migrations apply` reads for the Worker. */
export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

export interface NodeDatabase {
  db: SqliteDatabase;
  atomic: AtomicWrite;
  close(): void;
}

/** Opens (creating its directory) and migrates the embedded SQLite database. */
export function openNodeDatabase(path: string): NodeDatabase {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  // WAL lets health checks and replays read while a round writes; NORMAL sync in WAL mode survives a
  // process crash (kill -9) and only risks the last commits on power loss, at a fraction of FULL's cost.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle({ client: sqlite });
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  // better-sqlite3 runs queries synchronously, so no other write can interleave with this transaction.
  const atomic: AtomicWrite = async (queries) => {
    sqlite.transaction(() => {
      for (const query of queries) query.run();
    })();
  };
  return { db, atomic, close: () => sqlite.close() };
}
