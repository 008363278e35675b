import { createServer } from 'node:http';
import { listenOnLoopback } from './listen-on-loopback.js';
import { readBody } from './read-body.js';

/**
 * tate-a-tate's msg/send on loopback: checks `bot_id` and the base64 "simple" Authorization, gives
 * each new conversation an id, answers in sync mode as documented and in stream mode as SSE frames
 * carrying the message so far (the framing the bridge must guess).
 */
export interface FakeTateatate {
  baseUrl: string;
  botId: string;
  secretKey: string;
  /** Each call's body, and the conversationId the fake answered with (none when it refused). */
  calls: Array<{ body: Record<string, unknown>; conversationId?: string }>;
  /** Answers the next call with success: false. */
  refuseNext(): void;
  /** Answers the next call with `reply` as it is: the JSON body in sync mode, the one SSE frame in stream mode. */
  replyNext(reply: unknown): void;
  /** Answers the next stream-mode call with `body` exactly as written, under `contentType` (SSE unless told). */
  streamNext(body: string, contentType?: string): void;
  /** Answers the next stream-mode call with `pieces[0]` at once and each later piece only when `next()` is called. */
  streamInSteps(pieces: string[]): { next(): void };
  close(): Promise<void>;
}

export async function startFakeTateatate(): Promise<FakeTateatate> {
  const botId = 'bot-42';
  const secretKey = 'tate-secret';
  const calls: FakeTateatate['calls'] = [];
  let refuse = false;
  let scripted: { reply: unknown } | undefined;
  let raw: { body: string; contentType: string } | undefined;
  let steps: { pieces: string[]; waiting: Array<() => void>; credits: number } | undefined;
  let conversations = 0;
  const server = createServer(async (request, response) => {
    const body = JSON.parse((await readBody(request)) || '{}') as Record<string, unknown>;
    let token: Record<string, unknown> = {};
    try {
      token = JSON.parse(Buffer.from(String(request.headers.authorization ?? ''), 'base64').toString('utf8')) as Record<
        string,
        unknown
      >;
    } catch {
      token = {};
    }
    const fresh = Math.abs(Date.now() / 1000 - Number(token.timestamp)) <= 3600;
    const json = (status: number, data: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(data));
    };
    if (
      request.headers.bot_id !== botId ||
      token.secretKey !== secretKey ||
      token.signature !== secretKey ||
      token.alg !== 'simple' ||
      !fresh
    ) {
      return json(401, { success: false, message: 'Unauthorized', code: '401' });
    }
    const call: FakeTateatate['calls'][number] = { body };
    calls.push(call);
    if (refuse) {
      refuse = false;
      return json(200, { success: false, message: 'bot offline', code: '500', object: null });
    }
    if (steps && body.reqModel === 'stream') {
      const step = steps;
      steps = undefined;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const [index, piece] of step.pieces.entries()) {
        if (index > 0 && step.credits > 0) step.credits -= 1;
        else if (index > 0) await new Promise<void>((resolve) => step.waiting.push(resolve));
        response.write(piece);
      }
      return response.end();
    }
    if (raw && body.reqModel === 'stream') {
      const { body: text, contentType } = raw;
      raw = undefined;
      response.writeHead(200, { 'content-type': contentType });
      return response.end(text);
    }
    if (scripted) {
      const { reply } = scripted;
      scripted = undefined;
      if (body.reqModel !== 'stream') return json(200, reply);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      return response.end(`data: ${JSON.stringify(reply)}\n\n`);
    }
    const conversationId = String(body.conversationId || `conv-${++conversations}`);
    call.conversationId = conversationId;
    const message = (content: string, isFinal: number) => ({
      msgId: 'm1',
      parentMsgId: '0',
      msgContent: content,
      conversationId,
      isFinal,
      msgType: 1,
    });
    const answer = `Tate says: ${String(body.msg)}`;
    if (body.reqModel === 'stream') {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const words = answer.split(' ');
      for (let count = 1; count <= words.length; count++) {
        const frame = {
          success: true,
          object: message(words.slice(0, count).join(' '), count === words.length ? 1 : 0),
        };
        response.write(`data: ${JSON.stringify(frame)}\n\n`);
      }
      return response.end();
    }
    return json(200, { success: true, message: 'OK', object: message(answer, 1), code: '1', request_id: 'r1' });
  });
  return {
    botId,
    secretKey,
    calls,
    refuseNext: () => {
      refuse = true;
    },
    replyNext: (reply) => {
      scripted = { reply };
    },
    streamNext: (body, contentType = 'text/event-stream') => {
      raw = { body, contentType };
    },
    streamInSteps: (pieces) => {
      const step = { pieces, waiting: [] as Array<() => void>, credits: 0 };
      steps = step;
      return {
        next: () => {
          const waiter = step.waiting.shift();
          if (waiter) waiter();
          else step.credits += 1;
        },
      };
    },
    ...(await listenOnLoopback(server)),
  };
}
