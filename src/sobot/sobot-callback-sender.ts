import { openPlatformResultSchema } from './schemas/open-platform.js';
import { parseJsonOrUndefined } from '../util/parse-json.js';
import { SUCCESS_CODE } from './schemas/response.js';
import type { Clock } from '../runtime/clock.js';
import { retryAfterMs } from '../util/retry-after.js';

export type CallbackAttempt =
  | { ok: true; httpStatus: number }
  | {
      ok: false;
      error: string;
      httpStatus?: number | undefined;
      /** Worth another attempt later (network, timeout, 408/429/5xx, unknown error codes). */
      retryable: boolean;
      /** Sobot said the token is invalid or expired: fetch a new one and try again at once. */
      tokenRejected: boolean;
      retryAfterMs?: number | undefined;
    };

export interface SobotCallbackSender {
  post(url: string, body: string, token: string): Promise<CallbackAttempt>;
}

/**
 * POSTs a callback with the `token` header. Success is HTTP 2xx with ret_code/retCode "000000", or HTTP 2xx
 * with no ret_code at all: the document shows no answer for its callbacks, and taking such an answer for a
 * failure would send the same callback again and again. Everything else is a failure whose reason is kept.
 */
export function createSobotCallbackSender(options: {
  fetch: typeof fetch;
  timeoutMs: number;
  clock: Clock;
}): SobotCallbackSender {
  return {
    async post(url, body, token) {
      let response: Response;
      let text: string;
      try {
        response = await options.fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', token },
          body,
          signal: AbortSignal.timeout(options.timeoutMs),
          // Not followed: the token would go wherever it points.
          redirect: 'manual',
        });
        text = await response.text();
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        const reason = timedOut ? `no answer within ${options.timeoutMs} ms` : describeNetworkError(error);
        return { ok: false, error: reason, retryable: true, tokenRejected: false };
      }
      return classify(response, text, options.clock.now());
    },
  };
}

function classify(response: Response, text: string, now: number): CallbackAttempt {
  const httpStatus = response.status;
  const result = openPlatformResultSchema.safeParse(parseJsonOrUndefined(text));
  const code = result.success ? result.data.ret_code : undefined;
  const message = result.success ? result.data.ret_msg : undefined;
  if (response.ok && (code === SUCCESS_CODE || code === undefined)) return { ok: true, httpStatus };

  const detail = code !== undefined ? `${code} ${message ?? ''}`.trim() : text.slice(0, 200) || 'empty body';
  const error = `HTTP ${httpStatus}: ${detail}`;
  // Sobot documents no token error code, only "the token failure prompt"; its messages name the token.
  const tokenRejected = httpStatus === 401 || (code !== undefined && /token/i.test(message ?? ''));
  const retryable = tokenRejected || response.ok || httpStatus === 408 || httpStatus === 429 || httpStatus >= 500;
  return {
    ok: false,
    error,
    httpStatus,
    retryable,
    tokenRejected,
    retryAfterMs: retryAfterMs(response.headers.get('retry-after'), now),
  };
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return `network error: ${String(error)}`;
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `network error: ${error.message}${cause}`;
}
