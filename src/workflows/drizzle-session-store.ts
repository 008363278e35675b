import { and, eq, gt, sql } from 'drizzle-orm';
import { workflowSessions } from '../store/schema.js';
import type { Logger } from '../runtime/logger.js';
import type { SqliteDatabase } from '../store/sqlite-database.js';
import { storedSessionSchema, type WorkflowSessionStore } from './workflow-session.js';

export function createDrizzleSessionStore(db: SqliteDatabase, logger: Logger): WorkflowSessionStore {
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
      const stored = storedSessionSchema.safeParse({ variables: row.variables, pending: row.pending });
      if (!stored.success) {
        // Clicks are checked against the pending step: one that cannot be read is no session at all,
        // and the visitor starts afresh rather than meeting an error.
        logger.warn('workflow session unreadable, ignored', {
          cid,
          workflow: row.workflowId,
          problem: stored.error.issues[0]?.message,
          path: stored.error.issues[0]?.path.join('.'),
        });
        return undefined;
      }
      return {
        cid: row.cid,
        workflowId: row.workflowId,
        nodeId: row.nodeId,
        variables: stored.data.variables,
        pending: stored.data.pending ?? undefined,
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
