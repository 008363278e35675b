export interface ServerSentEvent {
  /** The `event:` field; undefined for the default (`message`) events model APIs send. */
  event: string | undefined;
  data: string;
}

const LINE_END = /\r\n|\r|\n/g;

/**
 * The events of a `text/event-stream` body, each as soon as the blank line ending it arrives, per the
 * HTML standard's parsing rules: lines end in CRLF, LF or CR; `data:` lines join with LF; `event:`
 * names the event; lines starting with `:` are comments; other fields are ignored. A last event the
 * stream ends without its blank line is still delivered, as the openai SDK does.
 *
 * The openai SDK parses streams through byte buffers copied on every read and two generator layers;
 * this decodes text once and scans it, which is a large part of a streamed round's own CPU time.
 */
export async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let pending = '';
  let event: string | undefined;
  let data: string[] = [];

  /** One line's effect; an event when the line is blank and data was given. */
  const take = (line: string): ServerSentEvent | undefined => {
    if (line === '') {
      const complete = data.length > 0 ? { event, data: data.join('\n') } : undefined;
      event = undefined;
      data = [];
      return complete;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(line.startsWith(' ', colon + 1) ? colon + 2 : colon + 1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    return undefined;
  };

  let ended = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      ended = done;
      pending += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let start = 0;
      LINE_END.lastIndex = 0;
      for (let match = LINE_END.exec(pending); match; match = LINE_END.exec(pending)) {
        // A CR at the end of what arrived may be the first half of a CRLF: wait for the next read.
        if (!done && match[0] === '\r' && match.index === pending.length - 1) break;
        const complete = take(pending.slice(start, match.index));
        start = match.index + match[0].length;
        if (complete) yield complete;
      }
      pending = pending.slice(start);
      if (done) break;
    }
    if (pending !== '') take(pending);
    const unterminated = take('');
    if (unterminated) yield unterminated;
  } finally {
    // Left early (the consumer stopped, or a read failed): the rest of the body is not wanted.
    if (!ended) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
