import { and, eq, inArray, lt, lte, ne, notExists, sql } from 'drizzle-orm';
import type { PruneCutoff, PrunedTable, RetentionStore } from './retention-store.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { callbacks, conversations, peerSessions, rounds, workflowSessions } from './schema.js';

/**
 * Retention on drizzle. Every delete picks its rows by an indexed age column in a subquery with a limit,
 * since SQLite's `DELETE … LIMIT` is a compile-time option neither better-sqlite3 nor D1 is built with.
 */
export function createDrizzleRetentionStore(db: SqliteDatabase): RetentionStore {
  const noRowIn = (table: typeof callbacks | typeof rounds, on: ReturnType<typeof eq>) =>
    notExists(
      db
        .select({ one: sql`1` })
        .from(table)
        .where(on),
    );

  const deletes: Record<PrunedTable, (cutoff: PruneCutoff, limit: number) => Promise<unknown[]>> = {
    callbacks: ({ before }, limit) => {
      const finished = db
        .select({ id: callbacks.id })
        .from(callbacks)
        .where(and(lt(callbacks.createdAt, before), ne(callbacks.status, 'pending')))
        .limit(limit);
      return db.delete(callbacks).where(inArray(callbacks.id, finished)).returning({ id: callbacks.id });
    },
    rounds: ({ before }, limit) => {
      const old = db
        .select({ id: rounds.id })
        .from(rounds)
        .where(and(lt(rounds.createdAt, before), noRowIn(callbacks, eq(callbacks.roundId, rounds.id))))
        .limit(limit);
      return db.delete(rounds).where(inArray(rounds.id, old)).returning({ id: rounds.id });
    },
    conversations: ({ before }, limit) => {
      const idle = db
        .select({ cid: conversations.cid })
        .from(conversations)
        .where(and(lt(conversations.updatedAt, before), noRowIn(rounds, eq(rounds.cid, conversations.cid))))
        .limit(limit);
      return db.delete(conversations).where(inArray(conversations.cid, idle)).returning({ cid: conversations.cid });
    },
    // An expired workflow session is already forgotten: `drizzle-session-store.ts` never reads it.
    workflow_sessions: ({ now }, limit) => {
      const expired = db
        .select({ cid: workflowSessions.cid })
        .from(workflowSessions)
        .where(lte(workflowSessions.expiresAt, now))
        .limit(limit);
      return db
        .delete(workflowSessions)
        .where(inArray(workflowSessions.cid, expired))
        .returning({ cid: workflowSessions.cid });
    },
    peer_sessions: ({ before }, limit) => {
      const idle = db
        .select({ rowid: sql<number>`rowid` })
        .from(peerSessions)
        .where(lt(peerSessions.updatedAt, before))
        .limit(limit);
      return db
        .delete(peerSessions)
        .where(inArray(sql`rowid`, idle))
        .returning({ cid: peerSessions.cid });
    },
  };

  return {
    async prune(table, cutoff, limit) {
      return (await deletes[table](cutoff, limit)).length;
    },
  };
}
