import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type ServerSentEvent = Pick<EventSourceMessage, 'event' | 'data'>;

/**
 * The events of a `text/event-stream` body (given as its decoded text, piece by piece), parsed by
 * eventsource-parser to the HTML standard's rules, in batches: each piece of text yields the events it
 * completed (maybe none), as soon as it arrives. Batches, not single events, so that a read ending
 * several events costs its reader one wait, not one per event. A last event the stream ends without its
 * blank line is still delivered, as the openai SDK does: the standard drops it, and model APIs
 * sometimes end so.
 */
export async function* serverSentEvents(text: AsyncIterable<string>): AsyncGenerator<ServerSentEvent[]> {
  let ready: ServerSentEvent[] = [];
  const parser = createParser({ onEvent: ({ event, data }) => ready.push({ event, data }) });
  const take = () => {
    const events = ready;
    ready = [];
    return events;
  };
  for await (const piece of text) {
    parser.feed(piece);
    if (ready.length > 0) yield take();
  }
  parser.feed('\n\n');
  if (ready.length > 0) yield take();
}
