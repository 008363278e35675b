import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { listenOnLoopback } from './listen-on-loopback.js';
import { readBody } from './read-body.js';

/** Laiye's open platform on loopback: checks the Api-Auth signature, answers getReply as scripted. */
export interface FakeLaiye {
  baseUrl: string;
  pubkey: string;
  secret: string;
  calls: Array<{ path: string; body: Record<string, unknown> }>;
  /** The next getReply answers: a reply body, an HTTP status, or a raw (non-JSON) text. */
  script(...replies: Array<{ body: unknown } | { status: number } | { raw: string } | { stallMs: number }>): void;
  /** Scripted answers no call has taken yet. */
  unused(): number;
  close(): Promise<void>;
}

export async function startFakeLaiye(): Promise<FakeLaiye> {
  const pubkey = 'laiye-pubkey';
  const secret = 'laiye-secret';
  const queue: Parameters<FakeLaiye['script']> = [];
  const calls: FakeLaiye['calls'] = [];
  const server = createServer(async (request, response) => {
    const body = JSON.parse((await readBody(request)) || '{}') as Record<string, unknown>;
    const header = (name: string) => String(request.headers[name.toLowerCase()] ?? '');
    const expected = createHash('sha1')
      .update(header('Api-Auth-nonce') + header('Api-Auth-timestamp') + secret)
      .digest('hex');
    const reply = (status: number, data: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(typeof data === 'string' ? data : JSON.stringify(data));
    };
    if (header('Api-Auth-pubkey') !== pubkey || header('Api-Auth-sign') !== expected) {
      return reply(401, { code: 16, message: 'invalid signature' });
    }
    calls.push({ path: request.url ?? '', body });
    if (request.url?.endsWith('/users/mutate')) return reply(200, {});
    const next = queue.shift() ?? {
      body: { replies: [{ text: { content: `Laiye heard: ${JSON.stringify(body.query)}` } }] },
    };
    if ('stallMs' in next) return setTimeout(() => reply(200, {}), next.stallMs);
    if ('status' in next) return reply(next.status, { code: 13, message: 'scripted failure' });
    if ('raw' in next) return reply(200, next.raw);
    return reply(200, next.body);
  });
  return {
    pubkey,
    secret,
    calls,
    script: (...replies) => queue.push(...replies),
    unused: () => queue.length,
    ...(await listenOnLoopback(server)),
  };
}
