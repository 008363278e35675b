import type { AnswerFailure } from '../answer/answer-source.js';
import { abortedFailure } from '../answer/aborted-failure.js';
import { serverSentEvents } from '../answer/server-sent-events.js';
import { parseJsonOrUndefined } from '../util/parse-json.js';

export type PeerResponse = { ok: true; body: string; response: Response } | { ok: false; failure: AnswerFailure };

/**
 * POSTs JSON to a peer with a deadline, aborted with the round. Failures come back as answer failures
 * (not thrown), so the router can fall back: network, timeout, HTTP error (auth named as such).
 */
export async function postToPeer(
  fetchImpl: typeof fetch,
  url: string,
  init: { headers: Record<string, string>; body: unknown; timeoutMs: number; signal: AbortSignal; stream?: boolean },
): Promise<PeerResponse> {
  const signal = AbortSignal.any([init.signal, AbortSignal.timeout(init.timeoutMs)]);
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...init.headers },
      body: JSON.stringify(init.body),
      signal,
      // Not followed: the peer's credential headers would go wherever it points.
      redirect: 'manual',
    });
  } catch (error) {
    return { ok: false, failure: describe(error, init) };
  }
  if (!response.ok) {
    const body = await response.text().catch(() => '');
    const auth =
      response.status === 401 || response.status === 403 ? ' (authentication refused: check the credentials)' : '';
    return {
      ok: false,
      failure: { kind: 'upstream', message: `HTTP ${response.status}${auth}: ${body.slice(0, 200)}` },
    };
  }
  if (init.stream) return { ok: true, body: '', response };
  try {
    return { ok: true, body: await response.text(), response };
  } catch (error) {
    return { ok: false, failure: describe(error, init) };
  }
}

export function describe(error: unknown, init: { timeoutMs: number; signal: AbortSignal }): AnswerFailure {
  if (init.signal.aborted) return abortedFailure(init.signal);
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { kind: 'timeout', message: `no answer within ${init.timeoutMs} ms` };
  }
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return { kind: 'upstream', message: `cannot reach the peer${cause || `: ${String(error)}`}` };
}

/** A line of server-sent events: a `:` comment, or one of the standard's fields (`data`, `event`, `id`, `retry`). */
const SSE_LINE = /^(?::|(?:data|event|id|retry)(?::|\r|\n|$))/;

/**
 * Reads a streamed reply as JSON frames, in the framing its first line shows. Server-sent events (`data:` lines,
 * blank-line separated) are read by `serverSentEvents` to the standard's rules, so one event's JSON may span several
 * `data:` lines. Anything else is read as one JSON value per line (NDJSON; a `data:` prefix is taken off too). Data
 * that is not JSON is skipped; `[DONE]` ends nothing by itself. The body is cancelled if the reader stops early.
 */
export async function* jsonFrames(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const pieces = decoded(body);
  try {
    // The first line that holds anything tells the framing, read whole: `dat` could begin either.
    let head = '';
    let ended = false;
    while (!ended && !/[\r\n]/.test(head.trimStart())) {
      const next = await pieces.next();
      if (next.done) ended = true;
      else head += next.value;
    }
    const text = (async function* () {
      if (head) yield head;
      for (let next = await pieces.next(); !next.done; next = await pieces.next()) yield next.value;
    })();
    if (SSE_LINE.test(head.trimStart())) {
      for await (const events of serverSentEvents(text)) {
        for (const { data } of events) yield* eventFrames(data);
      }
    } else {
      yield* lineFrames(text);
    }
  } finally {
    await pieces.return(undefined);
  }
}

/**
 * An event's data as JSON. A server that leaves out the blank line between events runs them into one event whose
 * `data:` lines are each a JSON value: those are read one by one, as the line reader before this one read them.
 */
function eventFrames(data: string): unknown[] {
  const whole = parseJsonOrUndefined(data);
  if (whole !== undefined) return [whole];
  if (!data.includes('\n')) return [];
  return data
    .split('\n')
    .map((line) => parseJsonOrUndefined(line))
    .filter((frame) => frame !== undefined);
}

/** One JSON value per line; blank lines and lines that are not JSON are skipped. */
async function* lineFrames(text: AsyncIterable<string>): AsyncGenerator<unknown> {
  let buffer = '';
  const parse = (line: string) => {
    const payload = line.startsWith('data:') ? line.slice(5).trim() : line.trim();
    if (!payload || payload === '[DONE]') return undefined;
    return parseJsonOrUndefined(payload);
  };
  for await (const piece of text) {
    buffer += piece;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const frame = parse(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      if (frame !== undefined) yield frame;
      newline = buffer.indexOf('\n');
    }
  }
  const last = parse(buffer);
  if (last !== undefined) yield last;
}

/** The body as text, piece by piece as it arrives; a character split between two reads is held for the next. */
async function* decoded(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    const piece = decoder.decode(chunk, { stream: true });
    if (piece) yield piece;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}
