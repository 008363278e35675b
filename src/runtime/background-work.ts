import type { Context } from 'hono';
import { errorFields, type Logger } from './logger.js';

/**
 * Work that outlives its HTTP response (copilot answers). Node keeps running it anyway; Workers must be
 * told with `waitUntil`, which only the Worker entry may touch (`c.executionCtx` throws on Node).
 */
export interface BackgroundWork {
  defer(context: Context, task: Promise<unknown>): void;
}

export function createNodeBackgroundWork(logger: Logger): BackgroundWork {
  return {
    defer(_context, task) {
      task.catch((error: unknown) => logger.error('background work failed', errorFields(error)));
    },
  };
}
