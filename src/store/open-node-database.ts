import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { createGroupCommit } from './group-commit.js';
import type { AtomicWrite, GroupedWrite, SqliteDatabase } from './sqlite-database.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

/** The shipped migrations: the same folder `wrangler d1 migrations apply` reads for the Worker. */
export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

export interface NodeDatabase {
  db: SqliteDatabase;
  atomic: AtomicWrite;
  grouped: GroupedWrite;
  close(): void;
}

export interface NodeDatabaseOptions {
  /** Where problems of the checkpoint thread are told; stderr by default. */
  warn?: ((message: string, fields: Record<string, unknown>) => void) | undefined;
  /** How often the checkpoint thread runs; a second by default. */
  checkpointIntervalMs?: number | undefined;
}

// SQLite's own default, for when the checkpoint thread is gone.
const AUTOCHECKPOINT_PAGES = 1000;

/** Opens (creating its directory) and migrates the embedded SQLite database. */
export function openNodeDatabase(path: string, options: NodeDatabaseOptions = {}): NodeDatabase {
  const warn = options.warn ?? ((message, fields) => console.error(message, fields));
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
  const checkpointer =
    path === ':memory:' ? undefined : checkpointElsewhere(sqlite, path, options.checkpointIntervalMs ?? 1000, warn);
  const groupCommit = createGroupCommit(sqlite);
  // better-sqlite3 runs queries synchronously, so no other write can interleave with this transaction;
  // a group still open is committed first, or this transaction would become a savepoint inside it.
  const atomic: AtomicWrite = async (queries) => {
    groupCommit.settle();
    sqlite.transaction(() => {
      for (const query of queries) query.run();
    })();
  };
  return {
    db,
    atomic,
    grouped: groupCommit.write,
    close: () => {
      groupCommit.settle();
      checkpointer?.stop();
      sqlite.close();
    },
  };
}

/** Checkpoints from a thread of its own; should it be lost, writes checkpoint again as SQLite does by default. */
function checkpointElsewhere(
  sqlite: Database.Database,
  path: string,
  intervalMs: number,
  warn: NonNullable<NodeDatabaseOptions['warn']>,
) {
  sqlite.pragma('wal_autocheckpoint = 0');
  return startWalCheckpointer(path, intervalMs, {
    failed: (error) => warn('WAL checkpoint failed; retrying', { error }),
    lost: (error) => {
      warn('WAL checkpoint thread lost; checkpointing on writes instead', { error });
      if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    },
  });
}
