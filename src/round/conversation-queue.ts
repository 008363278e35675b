/**
 * Runs a conversation's rounds one at a time, in the order they arrive, so a visitor who sends several
 * messages quickly gets the answers in that order, each answered with the earlier ones as context (and
 * a workflow's state moved by one round at a time). Conversations do not wait for each other.
 *
 * Per process (per isolate on Workers): rounds of one conversation taken by two processes are not
 * ordered. Sobot sends a conversation's messages to one URL, so this holds for a single instance.
 */
export interface ConversationQueue {
  /**
   * Runs `task` once the rounds queued before it for `key` have finished, or at once when `signal`
   * aborts while it waits (the task then sees the aborted signal and ends early). `waited`: whether
   * another round of the conversation was queued before it.
   */
  run<T>(key: string, signal: AbortSignal, task: (waited: boolean) => Promise<T>): Promise<T>;
}

export function createConversationQueue(): ConversationQueue {
  // Per conversation, the promise that settles when its last queued round has finished.
  const tails = new Map<string, Promise<void>>();
  return {
    async run(key, signal, task) {
      const previous = tails.get(key);
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      // A round that stops waiting (aborted) must not let the next one overtake those still before it.
      const tail = previous ? previous.then(() => finished) : finished;
      tails.set(key, tail);
      try {
        if (previous) await untilSettledOrAborted(previous, signal);
        return await task(previous !== undefined);
      } finally {
        finish();
        // Forgotten once the tail settles, not when this task ends: one that stopped waiting ends before the
        // rounds ahead of it, and the next round must still find them in its way.
        void tail.then(() => {
          if (tails.get(key) === tail) tails.delete(key);
        });
      }
    },
  };
}

function untilSettledOrAborted(previous: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void previous.then(done);
  });
}
