import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatCompletionsClient, ModelApiError } from '../src/answer/chat-completions-client.js';
import { createFetchModelHttp, DRAIN_GRACE_MS, type ModelHttp } from '../src/answer/model-http.js';
import { retryDelayMs, isRetryableStatus } from '../src/answer/model-retry.js';
import { serverSentEvents, type ServerSentEvent } from '../src/answer/server-sent-events.js';
import { createNodeModelHttp } from '../src/runtime/node-model-http.js';
import { listenOnLoopback } from './fakes/listen-on-loopback.js';
import { readBody } from './fakes/read-body.js';

async function* piecesOf(pieces: string[]): AsyncGenerator<string> {
  yield* pieces;
}

async function eventsOf(text: AsyncIterable<string>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const batch of serverSentEvents(text)) events.push(...batch);
  return events;
}

async function textOf(text: AsyncIterable<string>): Promise<string> {
  let whole = '';
  for await (const piece of text) whole += piece;
  return whole;
}

describe('server-sent events from a model API', () => {
  it('are read across any split of the text, with LF, CRLF or CR line ends', async () => {
    const events = await eventsOf(
      piecesOf(['data: {"a":1}\n', '\ndata: two\r', '\n\r\ndata: three\r\rdata: price ', '€', '\n\n']),
    );
    expect(events.map((event) => event.data)).toEqual(['{"a":1}', 'two', 'three', 'price €']);
  });

  it('join data lines, name events, skip comments and events without data, and keep an unterminated last one', async () => {
    const events = await eventsOf(
      piecesOf([
        ': keep-alive comment\n\n',
        'event: error\ndata: {"error":\ndata: "boom"}\n\n',
        'event: lonely\n\n',
        'data:no space\nid: 7\n\n',
        'data: [DONE]',
      ]),
    );
    expect(events).toEqual([
      { event: 'error', data: '{"error":\n"boom"}' },
      { event: undefined, data: 'no space' },
      { event: undefined, data: '[DONE]' },
    ]);
  });

  it('come out as they arrive, not when the body ends: each read, the events it completed', async () => {
    let push!: (piece: string) => void;
    const arrived = () => new Promise<string>((resolve) => (push = resolve));
    let next = arrived();
    const events = serverSentEvents(
      (async function* () {
        for (;;) {
          const piece = await next;
          next = arrived();
          yield piece;
        }
      })(),
    );
    const first = events.next();
    push('data: first\n\n');
    expect((await first).value).toEqual([{ event: undefined, data: 'first' }]);
    const second = events.next();
    push(': a comment completes no event\n\ndata: second\n\ndata: third\n\n');
    expect((await second).value).toEqual([
      { event: undefined, data: 'second' },
      { event: undefined, data: 'third' },
    ]);
    await events.return(undefined);
  });
});

describe('the retry policy (the openai SDK’s)', () => {
  const headers =
    (values: Record<string, string>) =>
    (name: string): string | undefined =>
      values[name];

  it('retries timeouts, conflicts, rate limits and server errors unless the API says otherwise', () => {
    expect(
      [400, 401, 404, 408, 409, 422, 429, 500, 503].filter((status) => isRetryableStatus(status, undefined)),
    ).toEqual([408, 409, 429, 500, 503]);
    expect(isRetryableStatus(400, 'true')).toBe(true);
    expect(isRetryableStatus(503, 'false')).toBe(false);
  });

  it('waits as asked (retry-after-ms, then retry-after in seconds or as a date), else backs off with jitter', () => {
    const now = Date.parse('2026-11-21T10:00:00Z');
    expect(retryDelayMs(0, headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryDelayMs(0, headers({ 'retry-after': '1.5' }))).toBe(1500);
    expect(retryDelayMs(0, headers({ 'retry-after': 'Sat, 21 Nov 2026 10:00:03 GMT' }), Math.random, now)).toBe(3000);
    expect(retryDelayMs(0, headers({ 'retry-after': 'Sat, 21 Nov 2026 09:00:00 GMT' }), Math.random, now)).toBe(0);
    // 0.5 s doubling up to 8 s, less up to a quarter of it.
    expect([0, 1, 2, 3, 4, 5].map((retry) => retryDelayMs(retry, undefined, () => 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    expect(retryDelayMs(1, headers({ 'retry-after': 'soon' }), () => 1)).toBe(750);
  });
});

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

describe.each([
  ['node:http', createNodeModelHttp],
  ['fetch', () => createFetchModelHttp()],
] as Array<[string, () => ModelHttp]>)('the model client over %s', (transport, createHttp) => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  /** A model API answering each call with the next handler; records what it received. */
  async function serve(...handlers: Handler[]) {
    const calls: Array<{ method?: string; url?: string; auth?: string; type?: string; body: string }> = [];
    const connections: number[] = [];
    const closed: number[] = [];
    const server = createServer(async (request, response) => {
      const body = await readBody(request);
      calls.push({
        method: request.method,
        url: request.url,
        auth: request.headers.authorization,
        type: request.headers['content-type'],
        body,
      });
      (handlers[calls.length - 1] ?? handlers.at(-1)!)(request, response, body);
    });
    server.on('connection', (socket) => {
      connections.push(socket.remotePort ?? 0);
      socket.on('close', () => closed.push(socket.remotePort ?? 0));
    });
    const listening = await listenOnLoopback(server);
    close = listening.close;
    const client = (maxRetries = 0) =>
      createChatCompletionsClient({
        baseUrl: `${listening.baseUrl}/v1/`,
        apiKey: 'sk-1',
        maxRetries,
        http: createHttp(),
      });
    return { calls, connections, closed, client, listening };
  }

  const params = { model: 'm', stream: true as const, messages: [{ role: 'user' as const, content: 'ünïcode' }] };
  const streamed: Handler = (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const euro = Buffer.from('€');
    // A character split across two writes, and the last write later: text comes out decoded, as it arrives.
    response.write(Buffer.concat([Buffer.from('data: one '), euro.subarray(0, 1)]));
    response.write(Buffer.concat([euro.subarray(1), Buffer.from('\n\n')]));
    setTimeout(() => response.end('data: [DONE]\n\n'), 20);
  };

  it('posts the call with its key, and streams the answer as decoded text, keeping the connection', async () => {
    const { calls, connections, client } = await serve(streamed);
    const model = client();
    for (let call = 0; call < 2; call++) {
      const events = await eventsOf(await model.stream(params, new AbortController().signal));
      expect(events.map((event) => event.data)).toEqual(['one €', '[DONE]']);
    }
    expect(calls[0]).toEqual({
      method: 'POST',
      url: '/v1/chat/completions',
      auth: 'Bearer sk-1',
      type: 'application/json',
      body: JSON.stringify(params),
    });
    // Kept alive: node:http's agent reuses the connection once the body is read (undici decides for itself).
    if (transport === 'node:http') expect(connections).toHaveLength(1);
  });

  it('sends the tools in the body, the same list twice and then another one', async () => {
    const { calls, client } = await serve(streamed);
    const model = client();
    const tool = (name: string) => ({
      type: 'function' as const,
      function: { name, description: `does ${name}`, parameters: { type: 'object', properties: {} } },
    });
    const offered = [tool('offer_choices'), tool('hand_over')];
    const calledWith = [
      { ...params, tools: offered },
      { ...params, messages: [{ role: 'user' as const, content: 'again' }], tools: offered },
      { ...params, tools: [tool('answer_step')] },
    ];
    for (const call of calledWith) await eventsOf(await model.stream(call, new AbortController().signal));
    expect(calls.map((call) => JSON.parse(call.body))).toEqual(calledWith);
  });

  it('keeps what arrives while its reader is busy elsewhere', async () => {
    const { client } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: one\n\n');
      setTimeout(() => response.write('data: two\n\n'), 10);
      setTimeout(() => response.end('data: three\n\n'), 20);
    });
    const seen: string[] = [];
    for await (const batch of serverSentEvents(await client().stream(params, new AbortController().signal))) {
      seen.push(...batch.map((event) => event.data));
      // The reader waits on something else (a database, say) while the rest of the body arrives.
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    expect(seen).toEqual(['one', 'two', 'three']);
  });

  it('reads the rest of a body left early away, keeping the connection, or drops it when the body never ends', async () => {
    let endBody = true;
    const { connections, closed, client } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: [DONE]\n\n');
      if (endBody) setTimeout(() => response.end(': trailing comment\n\n'), 20);
    });
    const model = client();
    const firstEvent = async () => {
      for await (const batch of serverSentEvents(await model.stream(params, new AbortController().signal)))
        return batch[0];
    };
    expect(await firstEvent()).toEqual({ event: undefined, data: '[DONE]' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await firstEvent()).toEqual({ event: undefined, data: '[DONE]' });
    if (transport === 'node:http') expect(connections).toHaveLength(1);

    endBody = false;
    await firstEvent();
    await new Promise((resolve) => setTimeout(resolve, DRAIN_GRACE_MS / 2));
    expect(closed).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, DRAIN_GRACE_MS / 2 + 200));
    // The body that never ended had its connection dropped once the grace was over.
    expect(closed).toHaveLength(1);
  });

  it('retries what the SDK retries, waiting as asked, and gives up with the API’s own message', async () => {
    const status =
      (code: number, headers: Record<string, string> = {}, body = '') =>
      (_request: IncomingMessage, response: ServerResponse) =>
        response.writeHead(code, { 'content-type': 'application/json', ...headers }).end(body);
    const { calls, client } = await serve(
      status(429, { 'retry-after-ms': '10' }),
      status(503, { 'retry-after': '0' }),
      streamed,
    );
    const events = await eventsOf(await client(2).stream(params, new AbortController().signal));
    expect(events.map((event) => event.data)).toEqual(['one €', '[DONE]']);
    expect(calls).toHaveLength(3);

    const refused = await serve(status(400, {}, '{"error":{"message":"model `m` does not exist"}}'));
    const error = await refused
      .client(3)
      .stream(params, new AbortController().signal)
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(ModelApiError);
    expect(error).toMatchObject({ status: 400, message: 'model API answered HTTP 400: model `m` does not exist' });
    expect(refused.calls).toHaveLength(1);

    const told = await serve(status(500, { 'x-should-retry': 'false' }, 'Internal error'));
    await expect(told.client(3).stream(params, new AbortController().signal)).rejects.toThrow(
      'model API answered HTTP 500: Internal error',
    );
    expect(told.calls).toHaveLength(1);

    // A wrong path is most often OPENAI_BASE_URL without its /v1: the message names the URL called.
    const nowhere = await serve(status(404, { 'content-type': 'text/plain' }, '404 page not found'));
    await expect(nowhere.client(0).stream(params, new AbortController().signal)).rejects.toThrow(
      `model API answered HTTP 404 at ${nowhere.listening.baseUrl}/v1/chat/completions (check OPENAI_BASE_URL): 404 page not found`,
    );
  });

  it('stops waiting to retry when its signal aborts, and reports a refused connection', async () => {
    const { client, listening } = await serve((_request, response) =>
      response.writeHead(429, { 'retry-after': '30' }).end(),
    );
    const controller = new AbortController();
    const started = Date.now();
    const waiting = client(1).stream(params, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(waiting).rejects.toThrow(/aborted/);
    expect(Date.now() - started).toBeLessThan(5000);

    await listening.close();
    await expect(client(0).stream(params, new AbortController().signal)).rejects.toThrow(
      /^cannot reach the model API: \S/,
    );
  });

  it('fails the body being read when its signal aborts mid-stream', async () => {
    const { client } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: one\n\n');
    });
    const controller = new AbortController();
    const text = (await client().stream(params, controller.signal))[Symbol.asyncIterator]();
    expect((await text.next()).value).toBe('data: one\n\n');
    controller.abort();
    await expect(text.next()).rejects.toThrow();
  });
});
