export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * Capped exponential backoff with "equal jitter": half the step is fixed, half random, so a Sobot
 * outage does not end with every pending callback retrying in the same instant.
 */
export function retryDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
