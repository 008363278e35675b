import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './api-error.js';

/**
 * hono's bodyLimit, except that a request with a Content-Length (and no Transfer-Encoding) is judged by
 * that header alone, as bodyLimit itself judges it, without first touching `raw.body`: on Node that
 * makes @hono/node-server build a full Request with a web stream for every call, and the body is then
 * read through them instead of straight from the socket. Chunked bodies are counted by bodyLimit. A body over
 * `maxSize` is refused with 413 and `message`.
 */
export function limitBody(maxSize: number, message: string): MiddlewareHandler {
  const onError = (c: Context): never => {
    // The rest of the body stays unread; a client must not reuse this connection for its next call.
    c.header('Connection', 'close');
    throw new ApiError('payloadTooLarge', message);
  };
  const counted = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return counted(c, next);
    if (Number.parseInt(length, 10) > maxSize) onError(c);
    await next();
  };
}
