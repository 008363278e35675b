/**
 * How the model client reaches the model API: one POST, its answer read as text as it arrives. Node
 * plugs in node:http (src/runtime/node-model-http.ts); Workers use `fetch`.
 */
export interface ModelHttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

export interface ModelHttpResponse {
  status: number;
  /** A response header by its lower-case name. */
  header(name: string): string | undefined;
  /**
   * The body decoded from UTF-8, piece by piece as it arrives; read once. Fails when the signal aborts.
   * Leaving the loop early reads the rest away (for `DRAIN_GRACE_MS` at most) instead of cutting the
   * connection: after a stream's last event, the connection can still serve the next call.
   */
  text(): AsyncIterable<string>;
  /** Reads the body away unseen, so the connection can serve the next call. */
  discard(): void;
}

export type ModelHttp = (request: ModelHttpRequest) => Promise<ModelHttpResponse>;

/** How long the rest of a body left unread may take to arrive before its connection is dropped. */
export const DRAIN_GRACE_MS = 1000;

/** The model API over the global `fetch` (Workers' own, or Node's). */
export function createFetchModelHttp(): ModelHttp {
  return async ({ url, headers, body, signal }) => {
    const response = await fetch(url, { method: 'POST', headers, body, signal });
    return {
      status: response.status,
      header: (name) => response.headers.get(name) ?? undefined,
      text: () => decodedText(response.body),
      discard: () => {
        if (response.body) void drainAway(response.body.getReader());
      },
    };
  };
}

async function* decodedText(body: ReadableStream<Uint8Array> | null): AsyncGenerator<string> {
  if (!body) return;
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let ended = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        const rest = decoder.decode();
        if (rest) yield rest;
        return;
      }
      yield decoder.decode(value, { stream: true });
    }
  } catch (error) {
    ended = true;
    throw error;
  } finally {
    if (ended) reader.releaseLock();
    else void drainAway(reader);
  }
}

async function drainAway(reader: ReadableStreamDefaultReader<Uint8Array>) {
  const timer = setTimeout(() => void reader.cancel().catch(() => {}), DRAIN_GRACE_MS);
  try {
    while (!(await reader.read()).done);
  } catch {
    // Cancelled, or the connection broke: either way nothing is left to read.
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}
