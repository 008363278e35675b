import type { AnswerEvent, AnswerSource } from './answer-source.js';
import { abortedFailure } from './aborted-failure.js';

/** A counting semaphore whose waiters leave the queue when their signal aborts. */
export interface ConcurrencyLimit {
  acquire(signal: AbortSignal): Promise<() => void>;
}

export function createConcurrencyLimit(max: number): ConcurrencyLimit {
  let active = 0;
  const queue: Array<{ grant: () => void }> = [];
  const release = () => {
    const next = queue.shift();
    if (next) next.grant();
    else active--;
  };
  return {
    acquire(signal) {
      if (active < max) {
        active++;
        return Promise.resolve(once(release));
      }
      return new Promise((resolve, reject) => {
        const waiter = {
          grant: () => {
            signal.removeEventListener('abort', leave);
            resolve(once(release));
          },
        };
        const leave = () => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          reject(signal.reason instanceof Error ? signal.reason : new Error('aborted while queued'));
        };
        if (signal.aborted) return leave();
        signal.addEventListener('abort', leave, { once: true });
        queue.push(waiter);
      });
    },
  };
}

function once(release: () => void): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release();
  };
}

/**
 * Bounds how many answers a source produces at once; the rest queue instead of failing (Sobot's batch
 * tests fire many questions together). The source's own deadlines start once a slot is free. A `timely`
 * answer (a copilot suggestion) waits at most `timelyWaitMs`: late, it helps no one, and since nobody
 * hangs up on it, such answers would otherwise pile up in memory for as long as the model stalls.
 */
export function limitConcurrency(source: AnswerSource, limit: ConcurrencyLimit, timelyWaitMs: number): AnswerSource {
  return {
    name: source.name,
    answerType: source.answerType,
    async *answer(request, signal): AsyncGenerator<AnswerEvent> {
      let release: () => void;
      const waiting = request.timely ? AbortSignal.any([signal, AbortSignal.timeout(timelyWaitMs)]) : signal;
      try {
        release = await limit.acquire(waiting);
      } catch {
        // Named as the source's own events are, so the round records which source it was waiting for.
        const failure = signal.aborted
          ? abortedFailure(signal, ' while queued')
          : { kind: 'timeout' as const, message: `no model slot free within ${timelyWaitMs} ms` };
        yield { type: 'error', failure, via: source.name };
        return;
      }
      try {
        yield* source.answer(request, signal);
      } finally {
        release();
      }
    },
  };
}
