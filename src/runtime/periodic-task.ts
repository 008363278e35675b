import { errorFields, type Logger } from './logger.js';

export interface PeriodicTask {
  /** Stops the timer and waits for a run under way. */
  stop(): Promise<void>;
}

/**
 * Runs `task` at once, then every `intervalMs`, never two runs at once; a failed run is logged as `failure` and
 * the next one tries again. The timer does not keep the process alive; `stop` aborts the signal a long run
 * watches.
 */
export function startPeriodicTask(
  task: (signal: AbortSignal) => Promise<unknown>,
  options: { intervalMs: number; logger: Logger; failure: string },
): PeriodicTask {
  let running: Promise<unknown> | undefined;
  const stopping = new AbortController();
  const run = () => {
    running ??= task(stopping.signal)
      .catch((error: unknown) => options.logger.error(options.failure, errorFields(error)))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(run, options.intervalMs);
  timer.unref();
  queueMicrotask(run);
  return {
    async stop() {
      clearInterval(timer);
      stopping.abort();
      await running;
    },
  };
}
