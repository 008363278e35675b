import type { Context } from 'hono';
import { errorFields, type Logger } from './logger.js';

/**
 * Work that outlives its HTTP response: copilot answers, and a round's report (log line, metrics,
 * first-byte time), which follows the reply rather than holding it up. Node keeps running it anyway;
 * Workers must be told with `waitUntil`, which only the Worker entry may touch (`c.executionCtx`
 * throws on Node).
 */
export interface BackgroundWork {
  /** Lets `task`, already under way, finish after the response; a failure is logged. */
  defer(context: Context, task: Promise<unknown>): void;
  /** Starts `work` once the response under way has been handed to the HTTP server. */
  afterResponse(context: Context, work: () => Promise<unknown>): void;
}

export function createNodeBackgroundWork(logger: Logger): BackgroundWork {
  const guard = (task: Promise<unknown>) =>
    void task.catch((error: unknown) => logger.error('background work failed', errorFields(error)));
  return {
    defer: (_context, task) => guard(task),
    // The handler's return and @hono/node-server's write of the reply are all microtasks: they finish first.
    afterResponse: (_context, work) => void setImmediate(() => guard(work())),
  };
}
