import type { HandoverSummary } from '../answer/answer-source.js';
import type { KnowledgeRef } from '../knowledge/knowledge-entry.js';
import type { ThirdAlgorithmResponseItem } from '../sobot/schemas/response.js';
import type { CallbackKind, RoundRow, RoundStatus } from './schema.js';

export type StoredRound = RoundRow;

export interface ConversationTouch {
  cid: string;
  robotid?: string | undefined;
  companyid?: string | undefined;
  partnerid?: string | undefined;
  sourceEnum?: string | undefined;
  at: number;
}

export interface RoundClaim {
  cid: string;
  roundid: string;
  companyid?: string | undefined;
  robotid?: string | undefined;
  question: string;
  showQuestion?: string | undefined;
  inputType: string;
  msgType: string;
  robotModel?: string | undefined;
  isTest: boolean;
  reqStream: boolean;
  copilot: boolean;
  runtimeid?: string | undefined;
  questionid?: string | undefined;
  request: string;
  /** When the request arrived: the round's `created_at`, from which its timings count. */
  receivedAt: number;
  /** Now: the claim's time, which keeps a running round from looking stale. */
  at: number;
  /**
   * The context this round's answer would read (`recentTurns` from `since`, at most `limit`): when set,
   * a fresh claim reads it in the same statement as its insert, one statement fewer on the round's path.
   */
  history?: { since: number; limit: number } | undefined;
}

/**
 * `claimed`: this call owns the round and must complete it; `turns` are the conversation's answered
 * turns as the claim found them, when it was asked for them and inserted the round. `existing`: another
 * call owns or owned it; its row says whether to replay (finished) or wait (running).
 */
export type ClaimResult =
  | { kind: 'claimed'; id: number; takenOver: boolean; turns?: ConversationTurn[] | undefined }
  | { kind: 'existing'; round: StoredRound };

export interface RoundCompletion {
  cid: string;
  roundid: string;
  status: Exclude<RoundStatus, 'running'>;
  answerSource: string;
  /** Knowledge the answer drew on or suggested. */
  sources: KnowledgeRef[];
  /** Set when the round handed the visitor to a human agent. */
  handover?: HandoverSummary | undefined;
  /** What peer platforms returned, size-capped. */
  peerRaw?: string | undefined;
  answerText: string;
  answerType: string;
  lan: string;
  success: boolean;
  items: ThirdAlgorithmResponseItem[];
  error?: string | undefined;
  model?: string | undefined;
  promptTokens?: number | undefined;
  completionTokens?: number | undefined;
  totalTokens?: number | undefined;
  firstTokenMs?: number | undefined;
  /** Set when the answer's first byte went out before the round was stored (streamed text). */
  firstByteMs?: number | undefined;
  latencyMs: number;
  at: number;
  /** Callbacks to Sobot this round owes; queued in the same write that completes it. */
  callbacks: QueuedCallback[];
}

export interface QueuedCallback {
  kind: CallbackKind;
  /** The JSON body to POST. */
  payload: string;
}

export interface ConversationTurn {
  question: string;
  showQuestion: string | null;
  msgType: string;
  answer: string;
}

/**
 * Rounds and conversations. Every method runs single statements one after another (at most three: `claimRound`'s
 * insert, select and take-over) or one atomic batch, never an interactive transaction, so D1 can run it too.
 */
export interface RoundStore {
  /** Resolves once the database answers; the health check's probe. */
  ping(): Promise<void>;
  touchConversation(conversation: ConversationTouch): Promise<void>;
  /**
   * Inserts the round as running, unless (cid, roundid) exists. An existing round that was aborted, or
   * still marked running but last touched before `staleBefore` (its process died), is taken over.
   */
  claimRound(claim: RoundClaim, staleBefore: number): Promise<ClaimResult>;
  findRound(cid: string, roundid: string): Promise<StoredRound | undefined>;
  completeRound(id: number, completion: RoundCompletion): Promise<void>;
  /** When the answer's first byte went out, for rounds stored before it did (JSON replies, a stream's closing items). */
  recordFirstByte(id: number, firstByteMs: number): Promise<void>;
  /**
   * Rounds that owe Sobot a callback (copilot, or a batch-test runtimeid) whose answer never finished:
   * aborted, or still running but last touched before `staleBefore`. Nobody will ask for them again.
   */
  abandonedRounds(staleBefore: number, limit: number): Promise<StoredRound[]>;
  /** Answered turns of a conversation since `since`, oldest first, at most `limit`, excluding round `beforeId` and later. */
  recentTurns(cid: string, since: number, beforeId: number, limit: number): Promise<ConversationTurn[]>;
}
