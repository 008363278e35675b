import { and, eq, inArray, lt, lte, ne, notExists, sql, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { PruneCutoff, PrunedTable, RetentionStore } from './retention-store.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { callbacks, conversations, peerSessions, rounds, workflowSessions } from './schema.js';

/**
 * Retention on drizzle. Every delete picks its rows by an indexed age column in a subquery with a limit,
 * since SQLite's `DELETE … LIMIT` is a compile-time option neither better-sqlite3 nor D1 is built with.
 */
export function createDrizzleRetentionStore(db: SqliteDatabase): RetentionStore {
  const deleteSome = async (table: SQLiteTable, key: SQL, where: SQL | undefined, limit: number) => {
    const picked = db.select({ key }).from(table).where(where).limit(limit);
    return (await db.delete(table).where(inArray(key, picked)).returning({ key })).length;
  };
  const noRowIn = (table: SQLiteTable, on: SQL) =>
    notExists(
      db
        .select({ one: sql`1` })
        .from(table)
        .where(on),
    );

  // Per table: its rows past the cutoff, and the key that names each of them.
  const expired: Record<PrunedTable, (cutoff: PruneCutoff) => [SQLiteTable, SQL, SQL | undefined]> = {
    callbacks: ({ before }) => [
      callbacks,
      sql`${callbacks.id}`,
      and(lt(callbacks.createdAt, before), ne(callbacks.status, 'pending')),
    ],
    rounds: ({ before }) => [
      rounds,
      sql`${rounds.id}`,
      and(lt(rounds.createdAt, before), noRowIn(callbacks, eq(callbacks.roundId, rounds.id))),
    ],
    conversations: ({ before }) => [
      conversations,
      sql`${conversations.cid}`,
      and(lt(conversations.updatedAt, before), noRowIn(rounds, eq(rounds.cid, conversations.cid))),
    ],
    // An expired workflow session is already forgotten: `drizzle-session-store.ts` never reads it.
    workflow_sessions: ({ now }) => [
      workflowSessions,
      sql`${workflowSessions.cid}`,
      lte(workflowSessions.expiresAt, now),
    ],
    // Keyed by (cid, peer): the rowid names a row alone.
    peer_sessions: ({ before }) => [peerSessions, sql`rowid`, lt(peerSessions.updatedAt, before)],
  };

  return {
    prune: (table, cutoff, limit) => deleteSome(...expired[table](cutoff), limit),
  };
}
