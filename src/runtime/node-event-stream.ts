import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import {
  EVENT_STREAM_HEADERS,
  eventStream,
  type EventStreamReply,
  type FlushEvents,
  type SendEvent,
} from '../http/event-stream.js';
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
  // The first event of a turn of the event loop leaves at once: corked and uncorked here, where Node
  // would hold a chunked write until the next tick. Events that follow it in the same turn (a burst of
  // model chunks read at once) are left to Node, which sends them together on the next tick, in one
  // write instead of one each: a loopback write is a large share of a streamed round's CPU. `flush`
  // sends what is held at once, for a round about to do slow work of its own in the turn (storing itself).
  let sentThisTurn = false;
  const send: SendEvent = (data) => {
    if (!open) return;
    if (sentThisTurn) {
      outgoing.write(`data: ${data}\n\n`);
      return;
    }
    sentThisTurn = true;
    process.nextTick(() => (sentThisTurn = false));
    outgoing.socket?.cork();
    outgoing.write(`data: ${data}\n\n`);
    outgoing.socket?.uncork();
  };
  const flush: FlushEvents = () => {
    if (outgoing.socket?.writableCorked) outgoing.socket.uncork();
  };
  produce(send, flush).then(
    () => outgoing.end(),
    // The webhook reports a failed round itself (ERROR_END, a log line): all that is left is to cut the reply.
    () => outgoing.destroy(),
  );
  // @hono/node-server's mark for a reply the handler wrote itself.
  return RESPONSE_ALREADY_SENT;
};
