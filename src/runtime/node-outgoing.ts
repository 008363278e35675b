import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';

/** The Node response @hono/node-server serves this request on; absent for `app.request` calls. */
export function outgoingOf(c: Context): ServerResponse | undefined {
  return (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
}

/** Headers middleware set for the reply (X-Request-Id), as hono would put them on a response it built. */
export function preparedHeaders(c: Context): Record<string, string> {
  const headers: Record<string, string> = {};
  c.newResponse(null).headers.forEach((value, name) => (headers[name] = value));
  return headers;
}
