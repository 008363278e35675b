import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { EVENT_STREAM_HEADERS, eventStream, type EventStreamReply } from '../http/event-stream.js';
import { outgoingOf, preparedHeaders } from './node-outgoing.js';

/**
 * The event-stream reply on Node, written straight to the socket's response: the web version's body
 * stream costs, per event, a chunk through a ReadableStream and a read promise in @hono/node-server, a
 * measurable share of a streamed round's CPU (README, Performance). Without a Node response to write to
 * (a request made with `app.request`), the web version.
 */
export const nodeEventStream: EventStreamReply = (c, produce) => {
  const outgoing = outgoingOf(c);
  if (!outgoing) return eventStream(c, produce);
  let open = !outgoing.destroyed;
  outgoing.once('close', () => (open = false));
  outgoing.writeHead(200, { ...preparedHeaders(c), ...EVENT_STREAM_HEADERS });
  outgoing.flushHeaders();
  produce((data) => {
    if (!open) return;
    // Node corks the socket for a chunked write and sends it on the next tick, after whatever the round
    // does next; corked and uncorked here, the event leaves now.
    outgoing.socket?.cork();
    outgoing.write(`data: ${data}\n\n`);
    outgoing.socket?.uncork();
  }).then(
    () => outgoing.end(),
    // The webhook reports a failed round itself (ERROR_END, a log line): all that is left is to cut the reply.
    () => outgoing.destroy(),
  );
  // @hono/node-server's mark for a reply the handler wrote itself.
  return RESPONSE_ALREADY_SENT;
};
