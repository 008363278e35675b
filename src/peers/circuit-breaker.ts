import type { Clock } from '../runtime/clock.js';

/**
 * Stops hammering a source that keeps failing: after `failures` failures in a row it is skipped for
 * `openMs`; then one round may try it again (half-open), and a success closes it.
 */
export interface CircuitBreaker {
  isOpen(name: string): boolean;
  success(name: string): void;
  failure(name: string): void;
}

export function createCircuitBreaker(settings: { failures: number; openMs: number }, clock: Clock): CircuitBreaker {
  const state = new Map<string, { failures: number; openUntil: number }>();
  return {
    isOpen(name) {
      const current = state.get(name);
      if (!current || current.failures < settings.failures) return false;
      const now = clock.now();
      if (current.openUntil > now) return true;
      // Half-open: this round is the trial. Rounds that come while it runs still skip the source, for
      // another period at most, so a trial that never reports does not shut the source out for good.
      current.openUntil = now + settings.openMs;
      return false;
    },
    success(name) {
      state.delete(name);
    },
    failure(name) {
      const current = state.get(name) ?? { failures: 0, openUntil: 0 };
      current.failures += 1;
      // Once tripped, each further failure (the half-open trial) opens it again for the full period.
      if (current.failures >= settings.failures) current.openUntil = clock.now() + settings.openMs;
      state.set(name, current);
    },
  };
}
