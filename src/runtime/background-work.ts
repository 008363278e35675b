import { errorFields, type Logger } from './logger.js';

/**
 * Work that outlives its HTTP response (copilot answers), or that need not hold the request up: a round's
 * report (log line, metrics, first-byte time) follows its reply, the conversation's record its model
 * call. Node keeps running it anyway; Workers must be told with `waitUntil` (the Worker entry finds the
 * event itself: the request's, or the cron run's for work a sweep sets off). A failure is logged.
 */
export interface BackgroundWork {
  /** Lets `task`, already under way, finish after the response. */
  defer(task: Promise<unknown>): void;
  /**
   * Starts `work` on a later turn of the event loop: after the request's own work up to its next wait
   * for I/O, such as handing its reply to the HTTP server or sending its model call.
   */
  later(work: () => Promise<unknown>): void;
  /**
   * Lets `task`, which the request itself awaits (a round being answered), run to its end when the
   * client goes away. Workers otherwise cancel a request's pending I/O when its client leaves: the round
   * would never settle, neither storing itself nor freeing its conversation. Its failure is left to
   * whoever awaits it.
   */
  hold(task: Promise<unknown>): void;
}

export interface NodeBackgroundWork extends BackgroundWork {
  /** Resolves once all work started so far has settled, and what it started meanwhile: before the store closes. */
  settled(): Promise<void>;
}

export function createNodeBackgroundWork(logger: Logger): NodeBackgroundWork {
  const pending = new Set<Promise<unknown>>();
  const guard = (task: Promise<unknown>) => {
    const guarded = task.catch((error: unknown) => logger.error('background work failed', errorFields(error)));
    pending.add(guarded);
    void guarded.finally(() => pending.delete(guarded));
  };
  return {
    defer: (task) => guard(task),
    // The handler's return, @hono/node-server's write of the reply, a round's way to its model call (the
    // store answers synchronously): all microtasks, which run before the next turn.
    later: (work) => guard(new Promise((resolve) => setImmediate(resolve)).then(work)),
    // A process runs what it started until it settles, whoever still listens.
    hold: () => {},
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
