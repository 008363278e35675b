import type { BatchReport } from '../batch/batch-report.js';
import type { CallbackStore, StoredCallback } from '../store/callback-store.js';
import type { StoredRound } from '../store/round-store.js';
import type { CallbackStatus, RoundStatus, conversations } from '../store/schema.js';

export type StoredConversation = typeof conversations.$inferSelect;

export interface ConversationFilter {
  /** Part of the conversation id. */
  cid?: string | undefined;
  robotid?: string | undefined;
  /** Conversations active in [from, to]: started by `to` and last active from `from`. */
  from?: number | undefined;
  to?: number | undefined;
  /** Keyset cursor: only conversations listed after this one (newest activity first). */
  before?: { updatedAt: number; cid: string } | undefined;
  limit: number;
}

export interface ConversationSummary extends StoredConversation {
  lastQuestion: string | null;
  lastStatus: RoundStatus | null;
  lastAnswerType: string | null;
  failedRounds: number;
}

/** The columns of a round that a batch run's pages need (not its request or items). */
export type BatchRound = Pick<
  StoredRound,
  | 'id'
  | 'cid'
  | 'roundid'
  | 'questionid'
  | 'question'
  | 'status'
  | 'success'
  | 'answerType'
  | 'answerText'
  | 'error'
  | 'latencyMs'
  | 'createdAt'
>;

/** Rounds received with one `runtimeid`, counted. */
export interface BatchRoundGroup {
  runtimeid: string;
  rounds: number;
  answered: number;
  failed: number;
  startedAt: number;
  finishedAt: number;
}

/** A report's times as Unix milliseconds (the report itself carries ISO strings). */
export interface BatchReportTimes {
  startedAt: number;
  finishedAt: number;
  receivedAt: number;
}

export interface StoredBatchReport {
  id: number;
  runtimeid: string;
  targetUrl: string;
  total: number;
  passed: number;
  startedAt: number;
  finishedAt: number;
  receivedAt: number;
}

/** Rounds received in one time bucket; percentiles over the rounds that finished (null when none did). */
export interface ActivityBucket {
  /** Index of the bucket from the window's start. */
  bucket: number;
  rounds: number;
  failed: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface TimeWindow {
  from: number;
  to: number;
  bucketMs: number;
}

/**
 * What the admin console reads, and the operator actions it takes. Every method is a few single
 * statements, so D1 runs it too. The outbox is the one the CLI operates, not a second copy of it.
 */
export interface AdminStore {
  callbacks: CallbackStore;
  callback(id: number): Promise<StoredCallback | undefined>;
  conversations(filter: ConversationFilter): Promise<ConversationSummary[]>;
  /** A conversation with its rounds, oldest first (at most `limit`). */
  conversation(
    cid: string,
    limit: number,
  ): Promise<{ conversation: StoredConversation; rounds: StoredRound[] } | undefined>;
  /** Robots seen, for the conversation filter's suggestions. */
  robots(limit: number): Promise<string[]>;
  /** Batch runs from rounds' `runtimeid`, newest first. */
  batchRoundGroups(limit: number): Promise<BatchRoundGroup[]>;
  batchRounds(runtimeid: string, limit: number): Promise<BatchRound[]>;
  /** Batch-test callbacks of a run's rounds, by status. */
  batchCallbackCounts(runtimeid: string): Promise<Record<CallbackStatus, number>>;
  /** Uploaded reports' headers, newest first. */
  batchReports(limit: number): Promise<StoredBatchReport[]>;
  batchReport(runtimeid: string): Promise<{ header: StoredBatchReport; report: unknown } | undefined>;
  /** Stores a report, replacing one with the same runtimeid; answers its id. */
  saveBatchReport(report: BatchReport, times: BatchReportTimes): Promise<number>;
  /** Rounds per bucket of the window: received, failed, latency percentiles. Buckets without rounds are left out. */
  roundActivity(window: TimeWindow): Promise<ActivityBucket[]>;
  /** Callbacks waiting in the outbox at the end of each bucket, as far as their current rows tell. */
  outboxDepth(window: TimeWindow): Promise<number[]>;
}
