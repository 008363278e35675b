import type { Context } from 'hono';

/** Sends one event; its data is one line (JSON is: it escapes line breaks). */
export type SendEvent = (data: string) => void;

/** Sends the events sent so far at once, not at the end of this turn of the event loop. */
export type FlushEvents = () => void;

/**
 * A `text/event-stream` reply whose events go out as `produce` sends them; it ends when `produce`
 * settles, and events sent after the client left are dropped. Node writes to its socket directly
 * (src/runtime/node-event-stream.ts); this web version serves Workers and tests.
 *
 * `gone`, where given, aborts when the client stops reading the reply before its end: the web version's
 * body is cancelled, which the request's own signal need not report (a Worker without
 * `enable_request_signal`, `app.request`). On Node the request's signal already says so.
 */
export type EventStreamReply = (
  c: Context,
  produce: (send: SendEvent, flush: FlushEvents, gone?: AbortSignal) => Promise<void>,
) => Response;

/** The headers of an event-stream reply, on either path. */
export const EVENT_STREAM_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } as const;

/**
 * The event-stream reply as a web Response whose events go straight into its body stream as they are
 * sent. hono's streamSSE passes every event through a TransformStream into a second ReadableStream,
 * splitting and re-joining its lines on the way: two streams per response and several promises per
 * event, a large part of what a streamed round allocates.
 */
export const eventStream: EventStreamReply = (c, produce) => {
  const encoder = new TextEncoder();
  let open = true;
  const gone = new AbortController();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send: SendEvent = (data) => {
        if (open) controller.enqueue(encoder.encode(`data: ${data}\n\n`));
      };
      const end = () => {
        if (!open) return;
        open = false;
        controller.close();
      };
      // Each event is enqueued as it is sent: there is nothing held back to flush.
      produce(send, () => {}, gone.signal).then(end, (error: unknown) => {
        open = false;
        controller.error(error);
      });
    },
    cancel() {
      open = false;
      // Nobody reads what would follow: the round stops (and is stored `aborted`) instead of answering on.
      gone.abort(new Error('the client went away'));
    },
  });
  return c.body(body, 200, {
    ...EVENT_STREAM_HEADERS,
    // Declared, so @hono/node-server sends the headers at once instead of first reading ahead for a length.
    'transfer-encoding': 'chunked',
  });
};
