import type { Metrics } from '../metrics/metrics.js';
import type { Clock } from '../runtime/clock.js';
import { errorFields, type Logger } from '../runtime/logger.js';
import type { SobotCallbackSender, CallbackAttempt } from '../sobot/sobot-callback-sender.js';
import type { SobotTokenProvider } from '../sobot/sobot-token-provider.js';
import type { CallbackStore, StoredCallback } from '../store/callback-store.js';
import type { CallbackKind } from '../store/schema.js';
import { retryDelay, type RetryPolicy } from './retry-delay.js';

export interface DeliveryDeps {
  store: CallbackStore;
  /**
   * Absent when SOBOT_APPID/SOBOT_APP_KEY are not set: each attempt fails with that reason, and the callback dies
   * as any other does once its attempts or its age run out (`callbacks -- retry-dead` brings it back).
   */
  sobot?: { tokens: SobotTokenProvider; sender: SobotCallbackSender } | undefined;
  urls: Record<CallbackKind, string>;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  limits: RetryPolicy & { maxAttempts: number; maxAgeMs: number; timeoutMs: number; batchSize: number };
}

export interface DeliveryPass {
  delivered: number;
  failed: number;
  /** More were due than one pass takes. */
  more: boolean;
  /** When the earliest callback still pending falls due, for a timer to wake at. */
  nextDueAt?: number | undefined;
}

/** One delivery pass: every due callback gets one attempt, concurrently. */
export async function deliverDueCallbacks(deps: DeliveryDeps): Promise<DeliveryPass> {
  const due = await deps.store.due(deps.clock.now(), deps.limits.batchSize);
  const pass: DeliveryPass = { delivered: 0, failed: 0, more: due.length === deps.limits.batchSize };
  await Promise.all(
    due.map(async (row) => {
      try {
        const outcome = await deliverOne(deps, row);
        if (outcome === 'delivered') pass.delivered++;
        else if (outcome !== 'skipped') pass.failed++;
      } catch (error) {
        // A store failure: the lease runs out and a later pass tries again.
        deps.logger.error('callback delivery failed unexpectedly', { callbackId: row.id, ...errorFields(error) });
      }
    }),
  );
  // Includes retries scheduled just now and callbacks another process queued or left behind.
  if (!pass.more) pass.nextDueAt = await deps.store.nextDueAt();
  return pass;
}

async function deliverOne(deps: DeliveryDeps, row: StoredCallback): Promise<'delivered' | 'skipped' | 'failed'> {
  const { clock, limits } = deps;
  const started = clock.now();
  // The lease outlives a token fetch, a retry with a fresh token and their timeouts.
  const leased = await deps.store.lease(row.id, started, started + 3 * limits.timeoutMs + 5_000);
  if (!leased) return 'skipped';

  const attempt = await attemptDelivery(deps, leased);
  const at = clock.now();
  const fields = {
    callbackId: leased.id,
    kind: leased.kind,
    cid: leased.cid,
    roundid: leased.roundid,
    attempt: leased.attempts,
    ms: at - started,
  };
  if (attempt.ok) {
    await deps.store.markDelivered(leased.id, at, attempt.httpStatus);
    deps.metrics.callbackAttempted(leased.kind, 'delivered');
    deps.logger.info('callback delivered', { ...fields, httpStatus: attempt.httpStatus });
    return 'delivered';
  }

  const failure = { at, error: attempt.error, httpStatus: attempt.httpStatus };
  const exhausted = leased.attempts >= limits.maxAttempts || at - leased.queuedAt >= limits.maxAgeMs;
  if (!attempt.retryable || exhausted) {
    await deps.store.markDead(leased.id, failure);
    deps.metrics.callbackAttempted(leased.kind, 'dead');
    const why = !attempt.retryable ? 'not retryable' : `gave up after ${leased.attempts} attempts`;
    deps.logger.error('callback dead', { ...fields, error: attempt.error, httpStatus: attempt.httpStatus, why });
    return 'failed';
  }
  // Sobot's Retry-After is honoured up to the longest delay: one header must not park a callback for a day.
  const asked = Math.min(attempt.retryAfterMs ?? 0, limits.maxMs);
  const nextAttemptAt = at + Math.max(retryDelay(leased.attempts, limits), asked);
  await deps.store.scheduleRetry(leased.id, failure, nextAttemptAt);
  deps.metrics.callbackAttempted(leased.kind, 'retry');
  deps.logger.warn('callback attempt failed', {
    ...fields,
    error: attempt.error,
    httpStatus: attempt.httpStatus,
    nextAttemptAt: new Date(nextAttemptAt).toISOString(),
  });
  return 'failed';
}

async function attemptDelivery(deps: DeliveryDeps, row: StoredCallback): Promise<CallbackAttempt> {
  if (!deps.sobot) {
    return notDelivered(
      'SOBOT_APPID and SOBOT_APP_KEY are not set; set them and restart (a callback dead meanwhile: callbacks -- retry-dead)',
    );
  }
  const { tokens, sender } = deps.sobot;
  let token: string;
  try {
    token = await tokens.token();
  } catch (error) {
    return notDelivered(error instanceof Error ? error.message : String(error));
  }
  const url = deps.urls[row.kind];
  const first = await sender.post(url, row.payload, token);
  if (first.ok || !first.tokenRejected) return first;
  // "Reacquire the token according to the token invalidation prompt", once per attempt.
  await tokens.invalidate(token);
  try {
    token = await tokens.token();
  } catch (error) {
    return notDelivered(
      `token rejected, and fetching a new one failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return sender.post(url, row.payload, token);
}

function notDelivered(error: string): CallbackAttempt {
  return { ok: false, error, retryable: true, tokenRejected: false };
}
