import { batchReportSchema, type BatchCaseResult, type BatchReport } from '../batch/batch-report.js';
import type { CallbackStatus } from '../store/schema.js';
import type { AdminStore, BatchRound, StoredBatchReport } from './admin-store.js';
import { countBy } from '../util/statistics.js';

/** Sobot's own batch tests, or the operator CLI's (`sobot-bridge batch`, runtimeids `cli-…`). */
export type RunOrigin = 'sobot' | 'cli';

export interface BatchRunSummary {
  runtimeid: string;
  origin: RunOrigin;
  startedAt: number;
  finishedAt: number;
  /** Rounds this bridge received for the run (none when the CLI tested another bridge). */
  roundsReceived: number;
  /** Questions, and the share that passed (with a report) or got a real answer (without one). */
  questions: number;
  rate: number | null;
  rateKind: 'passed' | 'answered';
  failedRounds: number;
}

interface RunBase {
  runtimeid: string;
  origin: RunOrigin;
  rounds: BatchRound[];
  /** The run's batch-test callbacks to Sobot, by status. */
  callbacks: Record<CallbackStatus, number>;
  latenciesMs: number[];
  /** How many answers of each Sobot answer type the run got. */
  answerTypes: Record<string, number>;
}

/** A run scored by the CLI's report: pass rate and the failing questions with their reasons. */
export interface ReportedRun extends RunBase {
  kind: 'report';
  header: StoredBatchReport;
  report: BatchReport;
  failing: BatchCaseResult[];
}

/** A run known only from its rounds (Sobot's): answered rate and the questions without a real answer. */
export interface RoundsOnlyRun extends RunBase {
  kind: 'rounds';
  answered: number;
  unanswered: BatchRound[];
  /** Set when a report was stored but cannot be read as the current report version. */
  reportProblem?: string | undefined;
}

export type BatchRun = ReportedRun | RoundsOnlyRun;

/** Rounds of one run read at most; a batch test of Sobot's holds a few hundred questions. */
const MAX_RUN_ROUNDS = 5000;

function runOrigin(runtimeid: string, hasReport: boolean): RunOrigin {
  return hasReport || runtimeid.startsWith('cli-') ? 'cli' : 'sobot';
}

/** Runs from rounds and from uploaded reports, merged by runtimeid, newest first. */
export async function listBatchRuns(store: AdminStore, limit: number): Promise<BatchRunSummary[]> {
  const [groups, reports] = await Promise.all([store.batchRoundGroups(limit), store.batchReports(limit)]);
  const runs = new Map<string, BatchRunSummary>();
  for (const group of groups) {
    runs.set(group.runtimeid, {
      runtimeid: group.runtimeid,
      origin: runOrigin(group.runtimeid, false),
      startedAt: group.startedAt,
      finishedAt: group.finishedAt,
      roundsReceived: group.rounds,
      questions: group.rounds,
      rate: group.rounds > 0 ? group.answered / group.rounds : null,
      rateKind: 'answered',
      failedRounds: group.failed,
    });
  }
  for (const report of reports) {
    const fromRounds = runs.get(report.runtimeid);
    runs.set(report.runtimeid, {
      runtimeid: report.runtimeid,
      origin: 'cli',
      startedAt: report.startedAt,
      finishedAt: report.finishedAt,
      roundsReceived: fromRounds?.roundsReceived ?? 0,
      questions: report.total,
      rate: report.total > 0 ? report.passed / report.total : null,
      rateKind: 'passed',
      failedRounds: fromRounds?.failedRounds ?? 0,
    });
  }
  return [...runs.values()].sort((a, b) => b.startedAt - a.startedAt).slice(0, limit);
}

export async function readBatchRun(store: AdminStore, runtimeid: string): Promise<BatchRun | undefined> {
  const [rounds, stored, callbacks] = await Promise.all([
    store.batchRounds(runtimeid, MAX_RUN_ROUNDS),
    store.batchReport(runtimeid),
    store.batchCallbackCounts(runtimeid),
  ]);
  if (rounds.length === 0 && !stored) return undefined;
  const parsed = stored ? batchReportSchema.safeParse(stored.report) : undefined;
  const base = { runtimeid, origin: runOrigin(runtimeid, Boolean(stored)), rounds, callbacks };
  if (stored && parsed?.success) {
    const report = parsed.data;
    return {
      ...base,
      kind: 'report',
      header: stored.header,
      report,
      latenciesMs: report.results.map((result) => result.latencyMs),
      answerTypes: report.summary.answerTypes,
      failing: report.results.filter((result) => !result.passed),
    };
  }
  return {
    ...base,
    kind: 'rounds',
    latenciesMs: rounds.flatMap((round) => (round.latencyMs === null ? [] : [round.latencyMs])),
    answerTypes: countBy(rounds, (round) => round.answerType ?? 'none'),
    answered: rounds.filter(answered).length,
    unanswered: rounds.filter((round) => !answered(round)),
    reportProblem: parsed && !parsed.success ? 'the stored report is not a version this bridge reads' : undefined,
  };
}

/** What Sobot's batch callback reports as success: a real answer, not the fallback or an error. */
function answered(round: BatchRound): boolean {
  return round.success === true;
}
