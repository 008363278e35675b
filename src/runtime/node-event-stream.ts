import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import {
  EVENT_STREAM_HEADERS,
  eventStream,
  type EventStreamReply,
  type FlushEvents,
  type SendEvent,
} from '../http/event-stream.js';
import { outgoingOf, preparedHeaders } from './node-outgoing.js';

// Long enough for an answer that is ready at once, far below any caller's patience for a first byte.
const HEADERS_ALONE_AFTER_MS = 20;

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
  // The headers leave with the first event when it comes at once (a replay, an FAQ answer, a model that
  // answers without delay), one write instead of two; else on their own shortly after, so that the
  // caller sees the reply begin while the model is still thinking.
  const headersAlone = setTimeout(() => open && outgoing.flushHeaders(), HEADERS_ALONE_AFTER_MS);
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
    clearTimeout(headersAlone);
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
    () => {
      clearTimeout(headersAlone);
      outgoing.end();
    },
    // The webhook reports a failed round itself (ERROR_END, a log line): all that is left is to cut the reply.
    () => {
      clearTimeout(headersAlone);
      outgoing.destroy();
    },
  );
  // @hono/node-server's mark for a reply the handler wrote itself.
  return RESPONSE_ALREADY_SENT;
};
