import type { CallbackRow, CallbackStatus } from './schema.js';

export type StoredCallback = CallbackRow;

export interface CallbackFailure {
  at: number;
  error: string;
  httpStatus?: number | undefined;
}

/** The callback outbox. Rows are created by `RoundStore.completeRound`; this moves them along. */
export interface CallbackStore {
  /** Pending callbacks due at `now` and not leased by a live deliverer, oldest first. */
  due(now: number, limit: number): Promise<StoredCallback[]>;
  /** When the earliest pending callback falls due (after its lease, if leased), if any is pending. */
  nextDueAt(): Promise<number | undefined>;
  /**
   * Takes a due callback for one attempt, counting it, until `leaseUntil`. Undefined when another
   * deliverer (another process or instance) took it first.
   */
  lease(id: number, now: number, leaseUntil: number): Promise<StoredCallback | undefined>;
  markDelivered(id: number, at: number, httpStatus: number): Promise<void>;
  scheduleRetry(id: number, failure: CallbackFailure, nextAttemptAt: number): Promise<void>;
  markDead(id: number, failure: CallbackFailure): Promise<void>;
  list(filter: { status?: CallbackStatus | undefined; limit: number }): Promise<StoredCallback[]>;
  counts(): Promise<Record<CallbackStatus, number>>;
  /**
   * Queues a dead callback, or a pending one not being sent at this moment (no live lease), again: due now, with
   * a fresh attempt count and age. False when there is no such callback to requeue.
   */
  requeue(id: number, now: number): Promise<boolean>;
  requeueDead(now: number): Promise<number>;
}

export interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Sobot open-platform tokens, kept in the database so processes and instances share one. */
export interface TokenStore {
  get(appid: string): Promise<CachedToken | undefined>;
  save(appid: string, token: CachedToken, fetchedAt: number): Promise<void>;
  /** Forgets `token` if it is still the cached one (another process may have replaced it already). */
  discard(appid: string, token: string): Promise<void>;
}
