import type { AnswerFailure } from '../answer/answer-source.js';
import { abortedFailure } from '../answer/aborted-failure.js';
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

// An event's data lines kept while they do not yet parse: a frame written over several lines, not a runaway.
const MAX_PENDING_CHARS = 64 * 1024;

/**
 * Reads a streamed reply as JSON frames, line by line: SSE `data:` lines, or one JSON value per line (NDJSON).
 * tate-a-tate documents no framing, so this is more tolerant than an SSE parser, which holds an event until its
 * blank line: a line that is JSON by itself goes out at once, even from a server that leaves the blank lines out; a
 * data line that only begins an object or array is joined with the event's next data lines (SSE's multi-line data)
 * until they parse or the event ends. Comments, `event:`/`id:`/`retry:` lines and other text are skipped; `[DONE]`
 * ends nothing by itself.
 */
export async function* jsonFrames(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let buffer = '';
  let pending: string[] = [];
  const take = (rawLine: string): unknown => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') {
      pending = []; // An event ends: what did not parse by now never will.
      return undefined;
    }
    if (/^(?::|event:|id:|retry:)/.test(line)) return undefined;
    const isData = line.startsWith('data:');
    const payload = isData ? line.slice(line.startsWith('data: ') ? 6 : 5) : line;
    if (payload.trim() === '[DONE]') return undefined;
    if (pending.length > 0 && isData) {
      pending.push(payload);
      const joined = pending.join('\n');
      const frame = parseJsonOrUndefined(joined);
      if (frame !== undefined || joined.length > MAX_PENDING_CHARS) pending = [];
      return frame;
    }
    const frame = parseJsonOrUndefined(payload);
    pending = frame === undefined && isData && /^\s*[[{]/.test(payload) ? [payload] : [];
    return frame;
  };
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const frame = take(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      if (frame !== undefined) yield frame;
      newline = buffer.indexOf('\n');
    }
  }
  const last = take(buffer + decoder.decode());
  if (last !== undefined) yield last;
}
