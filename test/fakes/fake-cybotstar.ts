import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { listenOnLoopback } from './listen-on-loopback.js';
import { readBody } from './read-body.js';

/**
 * CybotStar on loopback: the HTTP dialog (headers checked) and the WebSocket dialog (credentials in
 * the message), which sends an acknowledgement side frame (index −1, code 400000), the answer in chunks,
 * a web-search side frame (index −3), answers heartbeats with "pong", and ends with `finish: "y"`.
 */
export interface FakeCybotstar {
  baseUrl: string;
  key: string;
  token: string;
  httpCalls: Array<{ body: Record<string, unknown> }>;
  wsCalls: Array<{ body: Record<string, unknown> }>;
  heartbeats: number;
  /** How long the WebSocket dialog waits before its final frame (room for heartbeats). */
  finishDelayMs: number;
  /** The next HTTP answer's `data` (default: a string answer), a failing `code`, or the whole `reply` as is. */
  nextHttp?: { data?: unknown; code?: string; reply?: unknown };
  /** The next WebSocket dialog's frames, sent as they are instead of the usual answer. */
  nextFrames?: unknown[];
  close(): Promise<void>;
}

export async function startFakeCybotstar(): Promise<FakeCybotstar> {
  const fake: Omit<FakeCybotstar, 'baseUrl' | 'close'> = {
    key: 'robot-key',
    token: 'robot-token',
    httpCalls: [],
    wsCalls: [],
    heartbeats: 0,
    finishDelayMs: 120,
  };
  const segmentFor = (body: Record<string, unknown>) => String(body.segment_code ?? 'seg-1');
  const server = createServer(async (request, response) => {
    const body = JSON.parse((await readBody(request)) || '{}') as Record<string, unknown>;
    const json = (data: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(data));
    };
    if (
      request.headers['cybertron-robot-key'] !== fake.key ||
      request.headers['cybertron-robot-token'] !== fake.token
    ) {
      return json({ code: '401000', message: 'invalid robot key or token' });
    }
    fake.httpCalls.push({ body });
    const scripted = fake.nextHttp;
    fake.nextHttp = undefined;
    if (scripted?.code) return json({ code: scripted.code, message: 'scripted failure' });
    if (scripted && 'reply' in scripted) return json(scripted.reply);
    const data = scripted?.data ?? { type: 'string', dialog_id: 'd1', answer: `Cybot heard: ${String(body.question)}` };
    return json({ code: '000000', message: 'success', data: { segment_code: segmentFor(body), ...(data as object) } });
  });
  const sockets = new WebSocketServer({ server, path: '/openapi/v2/ws/dialog/' });
  sockets.on('connection', (socket) => {
    socket.on('message', (raw) => {
      const body = JSON.parse(raw.toString()) as Record<string, unknown>;
      if (body.type === 'heartbeat') {
        fake.heartbeats++;
        return socket.send(JSON.stringify({ type: 'heartbeat', data: 'pong' }));
      }
      if (body['cybertron-robot-key'] !== fake.key || body['cybertron-robot-token'] !== fake.token) {
        socket.send(JSON.stringify({ code: '401000', message: 'invalid robot key or token', index: 0, finish: 'y' }));
        return socket.close();
      }
      fake.wsCalls.push({ body });
      const scripted = fake.nextFrames;
      fake.nextFrames = undefined;
      if (scripted) return scripted.forEach((frame) => socket.send(JSON.stringify(frame)));
      const base = { dialog_id: 'd2', segment_code: segmentFor(body), type: 'string' };
      const chunks = ['Streaming ', 'from ', 'Cybot.'];
      socket.send(
        JSON.stringify({
          ...base,
          code: '400000',
          message: 'question accepted',
          index: -1,
          data: body.question,
          finish: 'n',
        }),
      );
      chunks.forEach((chunk, index) =>
        socket.send(JSON.stringify({ ...base, code: '000000', index, data: chunk, finish: 'n' })),
      );
      socket.send(
        JSON.stringify({
          ...base,
          code: '000000',
          index: -3,
          data: [{ title: 'a search hit', url: 'https://example.com' }],
          finish: 'n',
        }),
      );
      // Let a heartbeat or two through before the end.
      setTimeout(
        () => socket.send(JSON.stringify({ ...base, code: '000000', index: 3, data: chunks.join(''), finish: 'y' })),
        fake.finishDelayMs,
      );
    });
  });
  const listening = await listenOnLoopback(server);
  return Object.assign(fake, {
    baseUrl: listening.baseUrl,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await listening.close();
    },
  });
}
