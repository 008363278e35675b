import type { AnswerFailure } from '../answer/answer-source.js';
import { abortedFailure } from '../answer/aborted-failure.js';

export type PeerResponse =
  { ok: true; status: number; body: string; response: Response } | { ok: false; failure: AnswerFailure };

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
  if (init.stream) return { ok: true, status: response.status, body: '', response };
  try {
    return { ok: true, status: response.status, body: await response.text(), response };
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

/**
 * Reads a streamed reply as JSON frames: SSE (`data:` lines, blank-line separated) or one JSON value
 * per line (NDJSON). Lines that are not JSON are skipped; `[DONE]` ends nothing by itself.
 */
export async function* jsonFrames(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let buffer = '';
  const parse = (line: string) => {
    const payload = line.startsWith('data:') ? line.slice(5).trim() : line.trim();
    if (!payload || payload === '[DONE]') return undefined;
    try {
      return JSON.parse(payload) as unknown;
    } catch {
      return undefined;
    }
  };
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
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
