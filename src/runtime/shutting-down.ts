/**
 * Why a round's signal aborted when the service stops before the round could finish: unlike a caller who
 * hung up, the caller is still there, and is owed a proper end to its reply.
 */
export class ShuttingDown extends Error {
  override name = 'ShuttingDown';
  constructor() {
    super('the service is shutting down');
  }
}

/** Whether `signal` aborted because the service is stopping (rather than because the caller left). */
export const isShuttingDown = (signal: AbortSignal) => signal.aborted && signal.reason instanceof ShuttingDown;
