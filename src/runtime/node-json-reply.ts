import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { OpenJsonReply } from '../http/json-reply.js';
import { outgoingOf, preparedHeaders } from './node-outgoing.js';

/**
 * The JSON reply on Node, written straight to the socket's response, so that a round can answer before
 * it stores its record. Without a Node response (a request made with `app.request`), none.
 */
export const nodeJsonReply: OpenJsonReply = (c) => {
  const outgoing = outgoingOf(c);
  if (!outgoing) return undefined;
  return {
    send(value) {
      const body = JSON.stringify(value);
      outgoing.writeHead(200, {
        ...preparedHeaders(c),
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
      });
      outgoing.end(body);
    },
    // @hono/node-server's mark for a reply the handler wrote itself.
    sent: RESPONSE_ALREADY_SENT,
  };
};
