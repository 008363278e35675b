import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { BatchReport } from '../batch/batch-report.js';
import type { SqliteDatabase } from '../store/sqlite-database.js';
import {
  batchReports as reportsTable,
  callbacks,
  callbackStatuses,
  rounds,
  type CallbackStatus,
} from '../store/schema.js';
import type { BatchReportTimes, BatchRound, BatchRoundGroup, StoredBatchReport } from './admin-store.js';

// Batch runs as the console reads them: rounds grouped by runtimeid, and the CLI's uploaded reports.

const reportHeader = {
  id: reportsTable.id,
  runtimeid: reportsTable.runtimeid,
  targetUrl: reportsTable.targetUrl,
  total: reportsTable.total,
  passed: reportsTable.passed,
  startedAt: reportsTable.startedAt,
  finishedAt: reportsTable.finishedAt,
  receivedAt: reportsTable.receivedAt,
};

export async function batchRoundGroups(db: SqliteDatabase, limit: number): Promise<BatchRoundGroup[]> {
  const startedAt = sql<number>`min(${rounds.createdAt})`;
  return await db
    .select({
      runtimeid: sql<string>`${rounds.runtimeid}`,
      rounds: sql<number>`count(*)`,
      answered: sql<number>`coalesce(sum(${rounds.success} = 1), 0)`,
      failed: sql<number>`coalesce(sum(${rounds.status} = 'failed'), 0)`,
      startedAt,
      finishedAt: sql<number>`max(coalesce(${rounds.completedAt}, ${rounds.updatedAt}))`,
    })
    .from(rounds)
    .where(sql`coalesce(${rounds.runtimeid}, '') <> ''`)
    .groupBy(rounds.runtimeid)
    .orderBy(desc(startedAt))
    .limit(limit);
}

export async function batchRounds(db: SqliteDatabase, runtimeid: string, limit: number): Promise<BatchRound[]> {
  return await db
    .select({
      id: rounds.id,
      cid: rounds.cid,
      roundid: rounds.roundid,
      questionid: rounds.questionid,
      question: rounds.question,
      status: rounds.status,
      success: rounds.success,
      answerType: rounds.answerType,
      answerText: rounds.answerText,
      error: rounds.error,
      latencyMs: rounds.latencyMs,
      createdAt: rounds.createdAt,
    })
    .from(rounds)
    .where(eq(rounds.runtimeid, runtimeid))
    .orderBy(asc(rounds.id))
    .limit(limit);
}

/** Batch-test callbacks of a run's rounds, by status. */
export async function batchCallbackCounts(
  db: SqliteDatabase,
  runtimeid: string,
): Promise<Record<CallbackStatus, number>> {
  const rows = await db
    .select({ status: callbacks.status, count: sql<number>`count(*)` })
    .from(callbacks)
    .innerJoin(rounds, eq(rounds.id, callbacks.roundId))
    .where(and(eq(rounds.runtimeid, runtimeid), eq(callbacks.kind, 'batch')))
    .groupBy(callbacks.status);
  const counts = Object.fromEntries(callbackStatuses.map((status) => [status, 0])) as Record<CallbackStatus, number>;
  for (const row of rows) counts[row.status] = row.count;
  return counts;
}

export async function batchReports(db: SqliteDatabase, limit: number): Promise<StoredBatchReport[]> {
  return await db.select(reportHeader).from(reportsTable).orderBy(desc(reportsTable.startedAt)).limit(limit);
}

export async function batchReport(db: SqliteDatabase, runtimeid: string) {
  const [row] = await db
    .select({ header: reportHeader, report: reportsTable.report })
    .from(reportsTable)
    .where(eq(reportsTable.runtimeid, runtimeid));
  return row;
}

export async function saveBatchReport(
  db: SqliteDatabase,
  report: BatchReport,
  { startedAt, finishedAt, receivedAt }: BatchReportTimes,
): Promise<number> {
  const values = {
    targetUrl: report.targetUrl,
    total: report.summary.total,
    passed: report.summary.passed,
    startedAt,
    finishedAt,
    report,
    receivedAt,
  };
  const [row] = await db
    .insert(reportsTable)
    .values({ runtimeid: report.runtimeid, ...values })
    // A re-uploaded run (the CLI retrying, or re-scoring) replaces the report it had.
    .onConflictDoUpdate({ target: reportsTable.runtimeid, set: values })
    .returning({ id: reportsTable.id });
  if (!row) throw new Error(`batch report ${report.runtimeid} was not stored`);
  return row.id;
}
