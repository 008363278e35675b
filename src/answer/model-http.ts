/**
 * How the model client reaches the model API: one POST, its answer read as text as it arrives. Node
 * plugs in node:http (src/runtime/node-model-http.ts); Workers and tests use `fetch`.
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
  /** The body decoded from UTF-8, piece by piece as it arrives; read once. Fails when the signal aborts. */
  text(): AsyncIterable<string>;
  /** Reads the body away unseen, so the connection can serve the next call. */
  discard(): void;
}

export type ModelHttp = (request: ModelHttpRequest) => Promise<ModelHttpResponse>;

/** The model API over `fetch` (Workers' own, or any other). */
export function createFetchModelHttp(fetchFunction: typeof fetch = (input, init) => fetch(input, init)): ModelHttp {
  return async ({ url, headers, body, signal }) => {
    const response = await fetchFunction(url, { method: 'POST', headers, body, signal });
    return {
      status: response.status,
      header: (name) => response.headers.get(name) ?? undefined,
      text: () => decodedText(response.body),
      discard: () => void response.body?.cancel().catch(() => {}),
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
  } finally {
    // Left early: the rest of the body is not wanted.
    if (!ended) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
