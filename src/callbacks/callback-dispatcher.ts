import type { Clock } from '../runtime/clock.js';
import { errorFields, type Logger } from '../runtime/logger.js';
import type { DeliveryPass } from './deliver-callbacks.js';

/**
 * Runs delivery passes. Node keeps a timer in-process; Workers plug in `waitUntil` and a cron trigger.
 */
export interface CallbackDispatcher {
  /** A round just queued callbacks: deliver them now rather than at the next poll. */
  notify(): void;
  /** Stops scheduling and waits for a pass under way. */
  stop(): Promise<void>;
}

export interface TimerDispatcherOptions {
  deliver: () => Promise<DeliveryPass>;
  /** Catches callbacks queued by other processes or an operator, and any timer this one missed. */
  pollIntervalMs: number;
  clock: Clock;
  logger: Logger;
}

/** In-process delivery: on notify, at each scheduled retry, and on a steady poll. One pass at a time. */
export function createTimerDispatcher(options: TimerDispatcherOptions): CallbackDispatcher {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryAt = Infinity;

  const wakeAt = (time: number) => {
    if (stopped || time >= retryAt) return;
    clearTimeout(retryTimer);
    retryAt = time;
    retryTimer = setTimeout(
      () => {
        retryAt = Infinity;
        run();
      },
      Math.max(0, time - options.clock.now()),
    );
    retryTimer.unref?.();
  };

  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        const pass = await options.deliver();
        if (pass.more) again = true;
        if (pass.nextDueAt !== undefined) wakeAt(pass.nextDueAt);
      } while (again && !stopped);
    })()
      .catch((error: unknown) => options.logger.error('callback delivery pass failed', errorFields(error)))
      .finally(() => {
        running = undefined;
      });
  };

  const poll = setInterval(run, options.pollIntervalMs);
  poll.unref?.();
  // Callbacks left pending by an earlier run (a restart, a crash) go out at start.
  queueMicrotask(run);

  return {
    notify: run,
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearTimeout(retryTimer);
      await running;
    },
  };
}
