import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type ServerSentEvent = Pick<EventSourceMessage, 'event' | 'data'>;

/**
 * The events of a `text/event-stream` body (given as its decoded text, piece by piece), each as soon as
 * the blank line ending it arrives, parsed by eventsource-parser to the HTML standard's rules. A last
 * event the stream ends without its blank line is still delivered, as the openai SDK does: the standard
 * drops it, and model APIs sometimes end so.
 */
export async function* serverSentEvents(text: AsyncIterable<string>): AsyncGenerator<ServerSentEvent> {
  let ready: ServerSentEvent[] = [];
  const parser = createParser({ onEvent: ({ event, data }) => ready.push({ event, data }) });
  const take = () => {
    const events = ready;
    ready = [];
    return events;
  };
  for await (const piece of text) {
    parser.feed(piece);
    yield* take();
  }
  parser.feed('\n\n');
  yield* take();
}
