import { and, eq, gt, sql } from 'drizzle-orm';
import { workflowSessions } from '../store/schema.js';
import type { SqliteDatabase } from '../store/sqlite-database.js';
import type { PendingOffer, WorkflowSessionStore } from './workflow-session.js';

export function createDrizzleSessionStore(db: SqliteDatabase): WorkflowSessionStore {
  // Every round with workflows or model tools reads its conversation's session: prepared once.
  const selectSession = db
    .select()
    .from(workflowSessions)
    .where(
      and(eq(workflowSessions.cid, sql.placeholder('cid')), gt(workflowSessions.expiresAt, sql.placeholder('now'))),
    )
    .prepare();
  return {
    async get(cid, now) {
      const row = await selectSession.get({ cid, now });
      if (!row) return undefined;
      return {
        cid: row.cid,
        workflowId: row.workflowId,
        nodeId: row.nodeId,
        variables: row.variables,
        pending: (row.pending as PendingOffer | null) ?? undefined,
        startedAt: row.startedAt,
      };
    },
    async save(session, now, expiresAt) {
      const values = {
        workflowId: session.workflowId,
        nodeId: session.nodeId,
        variables: session.variables,
        pending: session.pending ?? null,
        updatedAt: now,
        expiresAt,
      };
      await db
        .insert(workflowSessions)
        .values({ cid: session.cid, startedAt: session.startedAt, ...values })
        .onConflictDoUpdate({ target: workflowSessions.cid, set: { ...values, startedAt: session.startedAt } });
    },
    async clear(cid) {
      await db.delete(workflowSessions).where(eq(workflowSessions.cid, cid));
    },
  };
}
