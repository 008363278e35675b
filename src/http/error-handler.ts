import type { Context, ErrorHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import type { Metrics, RequestRoute } from '../metrics/metrics.js';
import { errorEnvelope } from '../sobot/envelope.js';
import { errorFields, type Logger } from '../runtime/logger.js';
import { ApiError, errorCodes } from './api-error.js';

export interface ErrorReporting {
  logger: Logger;
  metrics: Metrics;
}

/** The one place errors become responses: Sobot's envelope always, internals never. */
export function createErrorHandler(reporting: ErrorReporting): ErrorHandler {
  return (error, c) => {
    if (error instanceof ApiError && error.status < 500) {
      return refuse(reporting, c, error.status, error.code, error.message);
    }
    if (error instanceof HTTPException && error.status < 500) {
      return refuse(reporting, c, error.status, `${error.status}000`, error.message || 'bad request');
    }
    if (error instanceof ApiError) {
      reporting.logger.error('request failed', { ...where(c), ...errorFields(error) });
      return c.json(errorEnvelope(error.code, error.message), error.status);
    }
    if (databaseUnavailable(error)) {
      reporting.logger.error('request failed: database unavailable', { ...where(c), ...errorFields(error) });
      const { status, code } = errorCodes.unavailable;
      return c.json(errorEnvelope(code, 'database unavailable; the details are in the service log'), status);
    }
    reporting.logger.error('unhandled error', { ...where(c), ...errorFields(error) });
    const { status, code } = errorCodes.internal;
    return c.json(errorEnvelope(code, 'internal error; the details are in the service log'), status);
  };
}

/**
 * A 4xx answer, logged and counted: a refused webhook call is otherwise invisible to the operator, and a
 * wrong token or a contract mismatch refuses every round. Unknown paths and duplicates in progress are
 * routine (scanners; Sobot's retries), so they log at info; the rest at warn. Bodies are never logged.
 */
export function refuse(
  reporting: ErrorReporting,
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
) {
  reportRefusal(reporting, c, status, code, message);
  return c.json(errorEnvelope(code, message), status);
}

/** The log line and count of a 4xx, for a refusal answered in another form (the admin login page's HTML). */
export function reportRefusal(
  reporting: ErrorReporting,
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
) {
  const routine = status === errorCodes.notFound.status || status === errorCodes.conflict.status;
  (routine ? reporting.logger.info : reporting.logger.warn)('request refused', {
    ...where(c),
    status,
    code,
    reason: message,
  });
  reporting.metrics.requestRefused(routeOf(c.req.path), code);
}

const where = (c: Context) => ({ requestId: c.get('requestId'), method: c.req.method, path: c.req.path });

function routeOf(path: string): RequestRoute {
  if (path === '/sobot/agent' || path.startsWith('/sobot/agent/')) return 'webhook';
  if (path === '/admin' || path.startsWith('/admin/')) return 'admin';
  if (path === '/metrics') return 'metrics';
  if (path === '/healthz') return 'health';
  return 'other';
}

// SQLite's codes (better-sqlite3 sets them on its errors) that say the database cannot be used now (a
// read-only file, a full disk, a lock held too long), not that the request or the code is wrong. A corrupt
// file is not among them: it will not clear by itself, so it stays a 500 that Sobot need not retry.
const UNAVAILABLE = /^SQLITE_(READONLY|CANTOPEN|FULL|IOERR|BUSY|LOCKED|PERM)/;

function databaseUnavailable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE.test(code)) return true;
  }
  return false;
}
