import type { AnswerSource } from '../answer/answer-source.js';
import type { Clock } from '../runtime/clock.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Logger } from '../runtime/logger.js';
import type { RoundStore } from '../store/round-store.js';
import type { ConversationQueue } from './conversation-queue.js';

/** What the round pipeline needs, built once per app. */
export interface RoundDeps {
  store: RoundStore;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  sources: {
    welcome: AnswerSource;
    /** Answers questions: workflows around a router (peers, or the knowledge base with the model). Absent when none. */
    question?: AnswerSource | undefined;
  };
  fallbackText: string;
  /** Tells the callback deliverer that a completed round queued callbacks, so they go out now. */
  callbacksQueued(): void;
  context: { defaultWindowSeconds: number; maxTurns: number };
  /** Answers each conversation's rounds one at a time, in order. */
  conversations: ConversationQueue;
  /**
   * The stored rounds (by row id) this app is answering now, waiting included. Staleness is reckoned from
   * the claim, and a round may wait longer than that for its conversation's turn or a model slot: recovery
   * must not take such a round from under this app, which would answer it twice.
   */
  answering: Set<number>;
  /** Runs writes that need not hold a round up (BackgroundWork.later). */
  later(work: () => Promise<unknown>): void;
}
