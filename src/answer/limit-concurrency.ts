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
 * tests fire many questions together). The source's own deadlines start once a slot is free.
 */
export function limitConcurrency(source: AnswerSource, limit: ConcurrencyLimit): AnswerSource {
  return {
    name: source.name,
    answerType: source.answerType,
    async *answer(request, signal): AsyncGenerator<AnswerEvent> {
      let release: () => void;
      try {
        release = await limit.acquire(signal);
      } catch {
        // Named as the source's own events are, so the round records which source it was waiting for.
        yield {
          type: 'error',
          failure: abortedFailure(signal, ' while queued'),
          via: source.name,
        };
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
