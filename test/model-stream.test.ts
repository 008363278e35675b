import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { serverSentEvents, type ServerSentEvent } from '../src/answer/server-sent-events.js';
import { createNodeHttpFetch } from '../src/runtime/node-http-fetch.js';
import { listenOnLoopback } from './fakes/listen-on-loopback.js';
import { readBody } from './fakes/read-body.js';

/** A body that arrives in exactly these pieces (bytes, so a character may be split). */
function bodyOf(pieces: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(typeof piece === 'string' ? encoder.encode(piece) : piece);
      controller.close();
    },
  });
}

async function eventsOf(pieces: Array<string | Uint8Array>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of serverSentEvents(bodyOf(pieces))) events.push(event);
  return events;
}

describe('server-sent events from a model API', () => {
  it('are read across any split of the bytes, with LF, CRLF or CR line ends', async () => {
    const euro = new TextEncoder().encode('€');
    const events = await eventsOf([
      'data: {"a":1}\n',
      '\ndata: two\r',
      '\n\r\ndata: three\r\rdata: price ',
      euro.slice(0, 1),
      euro.slice(1),
      '\n\n',
    ]);
    expect(events.map((event) => event.data)).toEqual(['{"a":1}', 'two', 'three', 'price €']);
  });

  it('join data lines, name events, skip comments and events without data, and keep an unterminated last one', async () => {
    const events = await eventsOf([
      ': keep-alive comment\n\n',
      'event: error\ndata: {"error":\ndata: "boom"}\n\n',
      'event: lonely\n\n',
      'data:no space\nid: 7\n\n',
      'data: [DONE]',
    ]);
    expect(events).toEqual([
      { event: 'error', data: '{"error":\n"boom"}' },
      { event: undefined, data: 'no space' },
      { event: undefined, data: '[DONE]' },
    ]);
  });

  it('come out one by one as they arrive, not when the body ends', async () => {
    let push!: (text: string) => void;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => controller.enqueue(new TextEncoder().encode(text));
      },
    });
    const events = serverSentEvents(body);
    push('data: first\n\n');
    expect((await events.next()).value).toEqual({ event: undefined, data: 'first' });
    push('data: second\n\n');
    expect((await events.next()).value).toEqual({ event: undefined, data: 'second' });
    await events.return(undefined);
  });
});

describe('the node:http fetch for the model API', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function serve(handle: (request: IncomingMessage, response: ServerResponse) => void) {
    const server = createServer(handle);
    const connections: string[] = [];
    server.on('connection', (socket) => connections.push(`${socket.remotePort}`));
    const listening = await listenOnLoopback(server);
    close = listening.close;
    return { baseUrl: listening.baseUrl, connections };
  }

  it('sends the method, headers and body, and streams the answer with its status and headers', async () => {
    const seen: Array<{ method?: string; auth?: string; type?: string; length?: string; body: string }> = [];
    const { baseUrl, connections } = await serve(async (request, response) => {
      seen.push({
        method: request.method,
        auth: request.headers.authorization,
        type: request.headers['content-type'],
        length: request.headers['content-length'],
        body: await readBody(request),
      });
      response.writeHead(429, { 'retry-after': '2', 'content-type': 'text/event-stream' });
      response.write('data: one\n\n');
      setTimeout(() => response.end('data: two\n\n'), 20);
    });
    const modelFetch = createNodeHttpFetch();
    for (let call = 0; call < 2; call++) {
      const response = await modelFetch(`${baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: new Headers({ authorization: 'Bearer sk-1', 'content-type': 'application/json' }),
        body: '{"q":"ünïcode"}',
      });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('2');
      expect((await eventsOf([await response.text()])).map((event) => event.data)).toEqual(['one', 'two']);
    }
    expect(seen[0]).toEqual({
      method: 'POST',
      auth: 'Bearer sk-1',
      type: 'application/json',
      length: String(Buffer.byteLength('{"q":"ünïcode"}')),
      body: '{"q":"ünïcode"}',
    });
    // Kept alive: the second call went over the first call's connection.
    expect(connections).toHaveLength(1);
  });

  it('stops reading when its signal aborts, and fails to connect as a rejection', async () => {
    const { baseUrl } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: one\n\n');
    });
    const controller = new AbortController();
    const response = await createNodeHttpFetch()(baseUrl, { method: 'POST', body: '{}', signal: controller.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: one\n\n');
    controller.abort();
    await expect(reader.read()).rejects.toThrow();

    await close?.();
    close = undefined;
    await expect(createNodeHttpFetch()(baseUrl, { method: 'POST', body: '{}' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
