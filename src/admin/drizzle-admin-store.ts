import { and, asc, desc, eq, gte, isNotNull, lt, lte, or, sql } from 'drizzle-orm';
import type { CallbackStore } from '../store/callback-store.js';
import type { SqliteDatabase } from '../store/sqlite-database.js';
import { callbacks, conversations, rounds, type RoundStatus } from '../store/schema.js';
import type { AdminStore } from './admin-store.js';
import {
  batchCallbackCounts,
  batchReport,
  batchReports,
  batchRoundGroups,
  batchRounds,
  saveBatchReport,
} from './drizzle-batch-queries.js';
import { outboxDepth, roundActivity } from './drizzle-health-queries.js';

/** The admin console's queries on drizzle, for better-sqlite3 and D1 alike. */
export function createDrizzleAdminStore(db: SqliteDatabase, callbackStore: CallbackStore): AdminStore {
  // drizzle leaves columns of a one-table select unqualified, which inside these subqueries would mean
  // the round's cid: the outer row is named explicitly.
  const outerCid = sql.raw('"conversations"."cid"');
  // The conversation's latest round (or latest with a question), through the (cid, created_at) index.
  const latest = <T>(column: string, condition = sql``) =>
    sql<T>`(select ${sql.raw(`r.${column}`)} from ${rounds} r where r.cid = ${outerCid}${condition} order by r.id desc limit 1)`;

  return {
    callbacks: callbackStore,

    async callback(id) {
      const [row] = await db.select().from(callbacks).where(eq(callbacks.id, id));
      return row;
    },

    async conversations({ cid, robotid, from, to, before, limit }) {
      return await db
        .select({
          cid: conversations.cid,
          robotid: conversations.robotid,
          companyid: conversations.companyid,
          partnerid: conversations.partnerid,
          sourceEnum: conversations.sourceEnum,
          roundCount: conversations.roundCount,
          createdAt: conversations.createdAt,
          updatedAt: conversations.updatedAt,
          lastQuestion: latest<string | null>('question', sql` and r.question <> ''`),
          lastStatus: latest<RoundStatus | null>('status'),
          lastAnswerType: latest<string | null>('answer_type'),
          failedRounds: sql<number>`(select count(*) from ${rounds} r where r.cid = ${outerCid} and r.status = 'failed')`,
        })
        .from(conversations)
        .where(
          and(
            cid ? sql`${conversations.cid} like ${`%${escapeLike(cid)}%`} escape '\\'` : undefined,
            robotid ? eq(conversations.robotid, robotid) : undefined,
            from !== undefined ? gte(conversations.updatedAt, from) : undefined,
            to !== undefined ? lte(conversations.createdAt, to) : undefined,
            before
              ? or(
                  lt(conversations.updatedAt, before.updatedAt),
                  and(eq(conversations.updatedAt, before.updatedAt), lt(conversations.cid, before.cid)),
                )
              : undefined,
          ),
        )
        .orderBy(desc(conversations.updatedAt), desc(conversations.cid))
        .limit(limit);
    },

    async conversation(cid, limit) {
      const [conversation] = await db.select().from(conversations).where(eq(conversations.cid, cid));
      if (!conversation) return undefined;
      const newestFirst = await db
        .select()
        .from(rounds)
        .where(eq(rounds.cid, cid))
        .orderBy(desc(rounds.id))
        .limit(limit);
      return { conversation, rounds: newestFirst.reverse() };
    },

    async robots(limit) {
      const rows = await db
        .selectDistinct({ robotid: conversations.robotid })
        .from(conversations)
        .where(isNotNull(conversations.robotid))
        .orderBy(asc(conversations.robotid))
        .limit(limit);
      return rows.map((row) => row.robotid).filter((robotid): robotid is string => Boolean(robotid));
    },

    batchRoundGroups: (limit) => batchRoundGroups(db, limit),
    batchRounds: (runtimeid, limit) => batchRounds(db, runtimeid, limit),
    batchCallbackCounts: (runtimeid) => batchCallbackCounts(db, runtimeid),
    batchReports: (limit) => batchReports(db, limit),
    batchReport: (runtimeid) => batchReport(db, runtimeid),
    saveBatchReport: (report, times) => saveBatchReport(db, report, times),
    roundActivity: (window) => roundActivity(db, window),
    outboxDepth: (window) => outboxDepth(db, window),
  };
}

/** A LIKE pattern matching `text` literally (`%` and `_` are wildcards otherwise). */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
