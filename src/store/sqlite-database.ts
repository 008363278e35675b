import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';

/** Either driver: better-sqlite3 answers synchronously, D1 asynchronously; every call here is awaited. */
export type SqliteDatabase = BaseSQLiteDatabase<'sync' | 'async', unknown>;

/** A drizzle write query (insert, update, delete) not yet run. */
export interface WriteQuery {
  run(): unknown;
}

/**
 * Runs writes all-or-nothing. D1 rejects interactive transactions, so each runtime supplies its own:
 * a synchronous better-sqlite3 transaction on Node, `db.batch` on D1.
 */
export type AtomicWrite = (queries: [WriteQuery, ...WriteQuery[]]) => Promise<void>;

/**
 * Runs a write whose statements all run before it returns (or, on an asynchronous driver, in its
 * promise), letting the runtime commit it together with others; settles once it is committed. On Node
 * the writes of one event-loop turn share a commit (`group-commit.ts`); D1 commits each statement itself.
 */
export type GroupedWrite = <T>(write: () => T) => Promise<Awaited<T>>;

export const ungroupedWrite: GroupedWrite = async <T>(write: () => T): Promise<Awaited<T>> => await write();

/** Values as SQLite binds them: undefined as NULL, booleans as 0/1 (better-sqlite3 refuses booleans). */
export function bindable(values: Record<string, unknown>): Record<string, unknown> {
  const bound: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    bound[key] = value === undefined ? null : typeof value === 'boolean' ? Number(value) : value;
  }
  return bound;
}

/** Absent optional columns are written as NULL rather than left as they were. */
export function nullable<T extends object>(values: T): { [K in keyof T]: Exclude<T[K], undefined> | null } {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value ?? null])) as never;
}
