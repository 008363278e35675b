import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { errorEnvelope } from '../sobot/envelope.js';
import { errorFields, type Logger } from '../runtime/logger.js';
import { ApiError, errorCodes } from './api-error.js';

/** The one place errors become responses: Sobot's envelope always, internals never. */
export function createErrorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    if (error instanceof ApiError) {
      if (error.status >= 500) {
        logger.error('request failed', { requestId: c.get('requestId'), path: c.req.path, ...errorFields(error) });
      }
      return c.json(errorEnvelope(error.code, error.message), error.status);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const status = error.status;
      const code = `${status}000`;
      return c.json(errorEnvelope(code, error.message || 'bad request'), status);
    }
    logger.error('unhandled error', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      ...errorFields(error),
    });
    const { status, code } = errorCodes.internal;
    return c.json(errorEnvelope(code, 'internal error; the details are in the service log'), status);
  };
}
