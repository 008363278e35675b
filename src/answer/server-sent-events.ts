import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type ServerSentEvent = Pick<EventSourceMessage, 'event' | 'data'>;

/**
 * The events of a `text/event-stream` body, each as soon as the blank line ending it arrives (parsed by
 * eventsource-parser, to the HTML standard's rules). A last event the stream ends without its blank line is
 * still delivered, as the openai SDK does.
 *
 * The openai SDK parses streams through byte buffers copied on every read and two generator layers; this
 * decodes text once and hands it to a string parser, which is a large part of a streamed round's own CPU time.
 */
export async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let ready: ServerSentEvent[] = [];
  const parser = createParser({ onEvent: ({ event, data }) => ready.push({ event, data }) });
  let ended = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      ended = done;
      parser.feed(done ? decoder.decode() : decoder.decode(value, { stream: true }));
      // The standard drops an event the stream ends without its blank line; model APIs sometimes end so.
      if (done) parser.feed('\n\n');
      const events = ready;
      ready = [];
      yield* events;
      if (done) return;
    }
  } finally {
    // Left early (the consumer stopped, or a read failed): the rest of the body is not wanted.
    if (!ended) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
