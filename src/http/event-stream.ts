import type { Context } from 'hono';

/** Sends one event; its data is one line (JSON is: it escapes line breaks). */
export type SendEvent = (data: string) => void;

/** Sends the events sent so far at once, not at the end of this turn of the event loop. */
export type FlushEvents = () => void;

/**
 * A `text/event-stream` reply whose events go out as `produce` sends them; it ends when `produce`
 * settles, and events sent after the client left are dropped. Node writes to its socket directly
 * (src/runtime/node-event-stream.ts); this web version serves Workers and tests.
 */
export type EventStreamReply = (
  c: Context,
  produce: (send: SendEvent, flush: FlushEvents) => Promise<void>,
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
      produce(send, () => {}).then(end, (error: unknown) => {
        open = false;
        controller.error(error);
      });
    },
    cancel() {
      open = false;
    },
  });
  return c.body(body, 200, {
    ...EVENT_STREAM_HEADERS,
    // Declared, so @hono/node-server sends the headers at once instead of first reading ahead for a length.
    'transfer-encoding': 'chunked',
  });
};
