import { retryAfterMs } from '../util/retry-after.js';
/**
 * When and how long to wait before calling the model API again, as the openai SDK does it, so that an
 * OpenAI-compatible API sees the client it was built for: its own `x-should-retry` first, then timeouts,
 * lock conflicts, rate limits and server errors; the wait it asks for (`retry-after-ms`, `retry-after` in
 * seconds or as a date), else exponential backoff from 0.5 s up to 8 s with up to 25% jitter.
 */
export function isRetryableStatus(status: number, shouldRetryHeader: string | undefined): boolean {
  if (shouldRetryHeader === 'true') return true;
  if (shouldRetryHeader === 'false') return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

const INITIAL_DELAY_SECONDS = 0.5;
const MAX_DELAY_SECONDS = 8;

/**
 * `retry` counts from 0 for the first retry. `header` reads the failed answer's headers (none after a
 * connection failure).
 */
export function retryDelayMs(
  retry: number,
  header: (name: string) => string | undefined = () => undefined,
  random: () => number = Math.random,
  now: number = Date.now(),
): number {
  const asked = askedDelayMs(header, now);
  if (asked !== undefined) return Math.max(0, asked);
  const seconds = Math.min(INITIAL_DELAY_SECONDS * 2 ** retry, MAX_DELAY_SECONDS);
  return seconds * (1 - random() * 0.25) * 1000;
}

function askedDelayMs(header: (name: string) => string | undefined, now: number): number | undefined {
  const milliseconds = Number.parseFloat(header('retry-after-ms') ?? '');
  if (!Number.isNaN(milliseconds)) return milliseconds;
  return retryAfterMs(header('retry-after'), now);
}
