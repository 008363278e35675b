import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { LogFields, Logger } from '../runtime/logger.js';
import { errorEnvelope } from '../sobot/envelope.js';
import { errorCodes } from './api-error.js';

/** Why the app could not be built: what a caller may be told, and what only the log gets. */
export interface SetupFailure {
  message: string;
  logMessage: string;
  logFields: LogFields;
}

/**
 * What a Worker serves when its app cannot be built (an invalid setting, an invalid bundled config
 * file): a Worker has no start to refuse, so every request is answered in the envelope, 500 `500000`,
 * with `failure.message`, and logged as one line — never a stack in a response.
 */
export function createUnconfiguredApp(failure: SetupFailure, logger: Logger): Hono {
  const app = new Hono();
  app.use(requestId());
  app.all('*', (c) => {
    logger.error(failure.logMessage, {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      ...failure.logFields,
    });
    const { status, code } = errorCodes.internal;
    return c.json(errorEnvelope(code, failure.message), status);
  });
  return app;
}
