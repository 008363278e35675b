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
    /** Answers questions: the knowledge base and/or the model. Absent when neither exists (fallback text). */
    question?: AnswerSource | undefined;
  };
  fallbackText: string;
  /** Tells the callback deliverer that a completed round queued callbacks, so they go out now. */
  callbacksQueued(): void;
  context: { defaultWindowSeconds: number; maxTurns: number };
  /** Answers each conversation's rounds one at a time, in order. */
  conversations: ConversationQueue;
  /** Runs writes that need not hold a round up (BackgroundWork.later). */
  later(work: () => Promise<unknown>): void;
}
