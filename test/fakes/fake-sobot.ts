import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './listen-on-loopback.js';
import { readBody } from './read-body.js';

/**
 * A loopback Sobot open platform, built from the document: `GET /api/get_token` (checks the md5 sign),
 * and the two callback endpoints, which check the `token` header and record what they accept.
 */
export interface FakeSobot {
  baseUrl: string;
  appid: string;
  appKey: string;
  /** Callbacks accepted (answered 000000), in order, with the round each is about. */
  accepted: Array<{ kind: 'copilot' | 'batch'; roundid: string | undefined; body: unknown; token: string }>;
  /** Every callback request, accepted or not. */
  attempts: Array<{ kind: 'copilot' | 'batch'; token: string | undefined }>;
  tokenRequests: Array<{ appid: string | null; createTime: string | null; sign: string | null; ok: boolean }>;
  /** Fails the next `count` callback requests with this answer. */
  failNext(count: number, failure: Failure): void;
  /**
   * An outage: until `up()`, every request (token and callbacks) fails with `failure`, or with `refuse`
   * nothing listens and connections are refused.
   */
  down(outage: Failure | { kind: 'refuse' }): Promise<void>;
  /** Ends an outage; a refusing fake listens again on the same port. */
  up(): Promise<void>;
  /** How many times Sobot accepted a callback of this kind about this round. */
  receipts(roundid: string, kind: 'copilot' | 'batch'): number;
  /** Every token issued so far stops working (as if Sobot rotated or expired them). */
  expireTokens(): void;
  /** Accepts callbacks with HTTP 200 and an empty body instead of a `000000` envelope. */
  bareAnswers: boolean;
  /** Lifetime of tokens issued from now on, as `expires_in` seconds. */
  tokenLifetimeSeconds: number;
  close(): Promise<void>;
}

/** The bridge's settings that point it at a Sobot open platform (this fake, or another with its shape). */
export function sobotEnv(sobot: { baseUrl: string; appid: string; appKey: string }): Record<string, string> {
  return { SOBOT_BASE_URL: sobot.baseUrl, SOBOT_APPID: sobot.appid, SOBOT_APP_KEY: sobot.appKey };
}

export type Failure =
  | { kind: 'http'; status: number; retryAfterSeconds?: number }
  | { kind: 'code'; code: string; message: string }
  | { kind: 'reset' };

const CALLBACK_PATHS = {
  '/text/ai-agent-open/ask/callback_list': 'copilot',
  '/text/ai-agent-open/api/kb/question_call_back': 'batch',
} as const;

export async function startFakeSobot(credentials = { appid: 'app-1', appKey: 'key-1' }): Promise<FakeSobot> {
  const validTokens = new Set<string>();
  const failures: Failure[] = [];
  let outage: Failure | undefined;
  let issued = 0;

  const fake: Omit<FakeSobot, 'baseUrl' | 'close'> = {
    ...credentials,
    accepted: [],
    attempts: [],
    tokenRequests: [],
    tokenLifetimeSeconds: 86_400,
    bareAnswers: false,
    failNext: (count, failure) => {
      for (let index = 0; index < count; index++) failures.push(failure);
    },
    expireTokens: () => validTokens.clear(),
    down: async (mode) => {
      if (mode.kind === 'refuse') await listener.close();
      else outage = mode;
    },
    up: async () => {
      outage = undefined;
      if (!server.listening) await listener.reopen();
    },
    receipts: (roundid, kind) =>
      fake.accepted.filter((callback) => callback.roundid === roundid && callback.kind === kind).length,
  };

  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://fake');
    if (outage) return fail(request, response, outage);
    if (request.method === 'GET' && url.pathname === '/api/get_token') {
      const appid = url.searchParams.get('appid');
      const createTime = url.searchParams.get('create_time');
      const sign = url.searchParams.get('sign');
      const expected = createHash('md5').update(`${appid}${createTime}${credentials.appKey}`).digest('hex');
      // The document states no window for create_time, so only the signature is checked.
      const ok = appid === credentials.appid && sign === expected && /^\d+$/.test(createTime ?? '');
      fake.tokenRequests.push({ appid, createTime, sign, ok });
      if (!ok) return reply(response, 200, { ret_code: '900001', ret_msg: 'sign error' });
      const token = `token-${++issued}`;
      validTokens.add(token);
      return reply(response, 200, {
        item: { token, expires_in: String(fake.tokenLifetimeSeconds) },
        ret_code: '000000',
        ret_msg: 'success',
      });
    }

    const kind = CALLBACK_PATHS[url.pathname as keyof typeof CALLBACK_PATHS];
    if (request.method !== 'POST' || !kind) return reply(response, 404, { ret_code: '404', ret_msg: 'not found' });
    const body = await readBody(request);
    const token = request.headers.token as string | undefined;
    fake.attempts.push({ kind, token });
    const failure = failures.shift();
    if (failure) return fail(request, response, failure);
    if (!token || !validTokens.has(token)) {
      return reply(response, 200, { ret_code: '900004', ret_msg: 'token is invalid or expired' });
    }
    const parsed = JSON.parse(body) as unknown;
    fake.accepted.push({ kind, roundid: roundidOf(parsed), body: parsed, token });
    if (fake.bareAnswers) return response.writeHead(200).end();
    return reply(response, 200, { ret_code: '000000', ret_msg: 'success' });
  }

  const listener = await listenOnLoopback(server);
  return Object.assign(fake, { baseUrl: listener.baseUrl, close: listener.close });
}

function fail(request: IncomingMessage, response: ServerResponse, failure: Failure) {
  if (failure.kind === 'reset') return request.socket.destroy();
  if (failure.kind === 'code') return reply(response, 200, { ret_code: failure.code, ret_msg: failure.message });
  const headers: Record<string, string> =
    failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {};
  return reply(response, failure.status, { ret_code: String(failure.status), ret_msg: 'scripted failure' }, headers);
}

/** The round a callback is about: the batch body is the closing item, the copilot body lists the items. */
function roundidOf(body: unknown): string | undefined {
  const record = body as { roundid?: unknown; algorithm_resp_vos?: Array<{ roundid?: unknown }> };
  const roundid = record.roundid ?? record.algorithm_resp_vos?.[0]?.roundid;
  return typeof roundid === 'string' ? roundid : undefined;
}

function reply(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
