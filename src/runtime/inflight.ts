import { settlesWithin } from './settles-within.js';
import { ShuttingDown } from './shutting-down.js';

/**
 * Rounds under way, so a shutdown can let them finish (bounded) and abort the rest; an aborted round is
 * stored as such and answered afresh when Sobot retries it.
 */
export interface InflightRounds {
  readonly size: number;
  /** Runs `work` with a signal that aborts on `signal` or on shutdown. */
  run<T>(signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /**
   * Resolves true when all finished within `timeoutMs`, those started meanwhile among them; otherwise aborts the
   * rest and resolves false.
   */
  drain(timeoutMs: number): Promise<boolean>;
}

export function createInflightRounds(): InflightRounds {
  const active = new Map<Promise<unknown>, AbortController>();
  return {
    get size() {
      return active.size;
    },
    async run(signal, work) {
      const controller = new AbortController();
      const abort = () => controller.abort(signal.reason);
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
      const promise = work(controller.signal);
      active.set(promise, controller);
      try {
        return await promise;
      } finally {
        active.delete(promise);
        signal.removeEventListener('abort', abort);
      }
    },
    async drain(timeoutMs) {
      // A round may start while others finish (a request on a kept-alive connection, a recovery under way).
      const everyRound = (async () => {
        while (active.size > 0) await Promise.allSettled([...active.keys()]);
      })();
      if (await settlesWithin(everyRound, timeoutMs)) return true;
      for (const controller of active.values()) controller.abort(new ShuttingDown());
      await Promise.allSettled([...active.keys()]);
      return false;
    },
  };
}
