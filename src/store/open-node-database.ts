import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { createGroupCommit } from './group-commit.js';
import type { AtomicWrite, GroupedWrite, SqliteDatabase } from './sqlite-database.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

/** The shipped migrations: the same folder `wrangler d1 migrations apply` reads for the Worker. */
const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

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

/**
 * A write that changes nothing: it fails (SQLITE_READONLY) where the database can be read but not written (a
 * file or mount the process may not write), which opening and migrating an up-to-date database never notice.
 */
const WRITE_PROBE = sql`update rounds set status = status where 0`;

// SQLite's own default, for when the checkpoint thread is gone.
const AUTOCHECKPOINT_PAGES = 1000;

/** The database could not be opened, migrated or written: what an operator must fix before a start. */
export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
  constructor(path: string, cause: unknown) {
    // drizzle wraps SQLite's error in one naming the query; SQLite's own says what is wrong.
    let root = cause;
    while (root instanceof Error && root.cause instanceof Error) root = root.cause;
    const reason = root instanceof Error ? root.message : String(root);
    super(`cannot use the database at ${resolve(path)} (DATABASE_PATH): ${reason}`, { cause });
  }
}

/** Opens (creating its directory) and migrates the embedded SQLite database; throws `DatabaseOpenError`. */
export function openNodeDatabase(path: string, options: NodeDatabaseOptions = {}): NodeDatabase {
  const warn = options.warn ?? ((message, fields) => console.error(message, fields));
  let sqlite: Database.Database | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    sqlite = new Database(path);
    // WAL lets health checks and replays read while a round writes; NORMAL sync in WAL mode survives a
    // process crash (kill -9) and only risks the last commits on power loss, at a fraction of FULL's cost.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    const db = drizzle({ client: sqlite });
    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    warnIfNewer(sqlite, warn);
    // A database this process may read but not write would start, then refuse every round.
    db.run(WRITE_PROBE);
    return useDatabase(sqlite, db, path, options, warn);
  } catch (error) {
    sqlite?.close();
    throw new DatabaseOpenError(path, error);
  }
}

/**
 * A database a newer build migrated (a rollback) is used as it is: migrations only add, so this build
 * should read it, but should it not, the warning says why.
 */
function warnIfNewer(sqlite: Database.Database, warn: NonNullable<NodeDatabaseOptions['warn']>) {
  const newestHere = Math.max(
    ...readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).map((migration) => migration.folderMillis),
  );
  const applied = sqlite.prepare('select max(created_at) as newest from __drizzle_migrations').get() as {
    newest: number | null;
  };
  if (applied.newest !== null && applied.newest > newestHere) {
    warn('the database was migrated by a newer build than this one', {
      newestMigrationApplied: new Date(applied.newest).toISOString(),
      newestMigrationHere: new Date(newestHere).toISOString(),
    });
  }
}

function useDatabase(
  sqlite: Database.Database,
  db: SqliteDatabase,
  path: string,
  options: NodeDatabaseOptions,
  warn: NonNullable<NodeDatabaseOptions['warn']>,
): NodeDatabase {
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
