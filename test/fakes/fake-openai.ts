import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body.js';

/**
 * A loopback OpenAI-compatible chat-completions server speaking the real wire format (SSE
 * `chat.completion.chunk` frames ending in `data: [DONE]`), scripted per call.
 */
export type LlmBehaviour =
  /** Streams `chunks` as content deltas, then a usage chunk and [DONE]. */
  | { kind: 'stream'; chunks: string[]; firstTokenDelayMs?: number; intervalMs?: number }
  /** Answers with an HTTP error before any stream. */
  | { kind: 'status'; status: number; message?: string; headers?: Record<string, string> }
  /** Streams `chunks`, then destroys the connection without [DONE]. */
  | { kind: 'drop'; chunks: string[] }
  /** Destroys the connection before any response, as a crashing proxy would. */
  | { kind: 'reset' }
  /** Streams `chunks` (maybe none), then never sends anything more. */
  | { kind: 'stall'; chunks: string[] }
  /** Sends a 200 event stream of junk that is not JSON, after `chunks` of real text (maybe none). */
  | { kind: 'garbage'; chunks?: string[] }
  /**
   * Streams optional text, then a tool call (name first, arguments in two pieces), as the API does;
   * `intervalMs` between the two pieces, for a model slow to write the arguments.
   */
  | { kind: 'tool'; name: string; arguments: unknown; text?: string; intervalMs?: number };

export interface RecordedCall {
  body: ChatRequestBody;
  authorization: string | undefined;
  /** True when the client closed the connection before the fake finished answering. */
  clientAborted: boolean;
}

export interface ChatRequestBody {
  model: string;
  stream?: boolean;
  messages: Array<{ role: string; content: string | Array<Record<string, unknown>> }>;
  [key: string]: unknown;
}

export interface FakeOpenAI {
  /** Base URL to use as OPENAI_BASE_URL (ends in /v1). */
  baseUrl: string;
  calls: RecordedCall[];
  /** The most calls that were being answered at the same time. */
  readonly maxConcurrent: number;
  /** Queues behaviours for the next calls, in order; after the queue, calls get the default behaviour. */
  script(...behaviours: LlmBehaviour[]): void;
  /**
   * Sets the default behaviour, chosen per call from its request (for many concurrent calls, where a
   * queue's order means nothing); `undefined` restores the default: echo the question.
   */
  respondWith(choose: ((body: ChatRequestBody) => LlmBehaviour) | undefined): void;
  /** Resolves when the call at `index` has ended one way or the other. */
  callEnded(index: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const queue: LlmBehaviour[] = [];
  let choose: ((body: ChatRequestBody) => LlmBehaviour) | undefined;
  const calls: RecordedCall[] = [];
  const ended: Array<{ promise: Promise<void>; resolve: () => void }> = [];
  const sockets = new Set<import('node:net').Socket>();
  let active = 0;
  let maxConcurrent = 0;

  const server: Server = createServer((request, response) => {
    void handle(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    const body = JSON.parse(await readBody(request)) as ChatRequestBody;
    const call: RecordedCall = { body, authorization: request.headers.authorization, clientAborted: false };
    const index = calls.push(call) - 1;
    const done = deferred();
    ended[index] = done;
    active++;
    maxConcurrent = Math.max(maxConcurrent, active);
    let finished = false;
    response.on('close', () => {
      active--;
      if (!finished) call.clientAborted = true;
      done.resolve();
    });
    const behaviour = queue.shift() ?? choose?.(body) ?? { kind: 'stream', chunks: echoChunks(body) };
    await play(behaviour, body, response);
    finished = true;
    // A stall never ends; a dropped or reset connection has nothing left to end.
    if (!response.writableEnded && !['stall', 'drop', 'reset'].includes(behaviour.kind)) response.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    calls,
    get maxConcurrent() {
      return maxConcurrent;
    },
    script: (...behaviours) => queue.push(...behaviours),
    respondWith: (chooser) => {
      choose = chooser;
    },
    callEnded: async (index) => {
      while (!ended[index]) await new Promise((resolve) => setTimeout(resolve, 5));
      await ended[index].promise;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function play(behaviour: LlmBehaviour, body: ChatRequestBody, response: ServerResponse) {
  const model = body.model;
  switch (behaviour.kind) {
    case 'status':
      response.writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers });
      response.end(
        JSON.stringify({ error: { message: behaviour.message ?? 'scripted failure', type: 'server_error' } }),
      );
      return;
    case 'garbage':
      startStream(response);
      for (const chunk of behaviour.chunks ?? []) writeChunk(response, model, { content: chunk });
      response.write('data: {this is not json\n\n');
      return;
    case 'reset':
      response.socket?.destroy();
      return;
    case 'stream': {
      startStream(response);
      if (behaviour.firstTokenDelayMs) await sleep(behaviour.firstTokenDelayMs);
      for (const [index, chunk] of behaviour.chunks.entries()) {
        if (response.destroyed) return;
        if (index > 0 && behaviour.intervalMs) await sleep(behaviour.intervalMs);
        writeChunk(response, model, { content: chunk });
      }
      writeFrame(response, { ...chunkBase(model), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      const completionTokens = behaviour.chunks.length;
      writeFrame(response, {
        ...chunkBase(model),
        choices: [],
        usage: { prompt_tokens: 11, completion_tokens: completionTokens, total_tokens: 11 + completionTokens },
      });
      response.write('data: [DONE]\n\n');
      return;
    }
    case 'tool': {
      startStream(response);
      if (behaviour.text) writeChunk(response, model, { content: behaviour.text });
      const args = typeof behaviour.arguments === 'string' ? behaviour.arguments : JSON.stringify(behaviour.arguments);
      const half = Math.floor(args.length / 2);
      writeChunk(response, model, {
        tool_calls: [
          { index: 0, id: 'call_fake', type: 'function', function: { name: behaviour.name, arguments: '' } },
        ],
      });
      for (const [index, piece] of [args.slice(0, half), args.slice(half)].entries()) {
        if (index > 0 && behaviour.intervalMs) await sleep(behaviour.intervalMs);
        if (response.destroyed) return;
        writeChunk(response, model, { tool_calls: [{ index: 0, function: { arguments: piece } }] });
      }
      writeFrame(response, { ...chunkBase(model), choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] });
      response.write('data: [DONE]\n\n');
      return;
    }
    case 'drop':
      startStream(response);
      for (const chunk of behaviour.chunks) writeChunk(response, model, { content: chunk });
      await sleep(20);
      response.socket?.destroy();
      return;
    case 'stall':
      startStream(response);
      for (const chunk of behaviour.chunks) writeChunk(response, model, { content: chunk });
      return;
  }
}

function startStream(response: ServerResponse) {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.flushHeaders();
}

function chunkBase(model: string) {
  return { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model };
}

function writeChunk(response: ServerResponse, model: string, delta: Record<string, unknown>) {
  writeFrame(response, { ...chunkBase(model), choices: [{ index: 0, delta, finish_reason: null }] });
}

function writeFrame(response: ServerResponse, frame: unknown) {
  response.write(`data: ${JSON.stringify(frame)}\n\n`);
}

/** The default answer: "You said: <last user text>" in three chunks, so tests can see what was asked. */
function echoChunks(body: ChatRequestBody): string[] {
  const last = body.messages.at(-1);
  const text = typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
  return ['You said: ', text, '.'];
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
