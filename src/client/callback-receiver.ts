import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { z } from 'zod';
import { SOBOT_PATHS } from '../config.js';
import { copilotCallbackSchema } from '../sobot/schemas/open-platform.js';
import { thirdAlgorithmResponseItemSchema, type ThirdAlgorithmResponseItem } from '../sobot/schemas/response.js';
import { sobotSign } from '../sobot/sobot-token-provider.js';
import type { CallbackKind } from '../store/schema.js';

/** A callback as Sobot would receive it, with what was wrong with it (if anything). */
export interface ReceivedCallback {
  kind: CallbackKind;
  items: ThirdAlgorithmResponseItem[];
  /** Whether it carried a token this receiver issued. */
  authorised: boolean;
  problems: string[];
}

export interface CallbackReceiver {
  /** Use as the bridge's SOBOT_BASE_URL: the document's paths sit under it. */
  baseUrl: string;
  appid: string;
  appKey: string;
  received: ReceivedCallback[];
  /** Resolves with the first callback that `matches`, or undefined after `timeoutMs`. */
  waitFor(matches: (callback: ReceivedCallback) => boolean, timeoutMs: number): Promise<ReceivedCallback | undefined>;
  close(): Promise<void>;
}

/**
 * Fixed settings let an agent in another process be configured with the receiver's address and credentials
 * before a run (`--receiver-port`, `--receiver-key`); by default each run gets a free port and a random key.
 */
export interface ReceiverSettings {
  port?: number | undefined;
  appKey?: string | undefined;
}

// The list first, its items then one by one, so each item's problems are reported apart.
const copilotBodySchema = copilotCallbackSchema.extend({ algorithm_resp_vos: z.array(z.unknown()) });

/**
 * A local stand-in for Sobot's open platform (`get_token`, `callback_list`, `question_call_back`), so copilot and
 * batch callbacks can be watched without a Sobot account. It checks the md5 sign and the `token` header as the
 * document describes and accepts every callback, reporting what did not conform.
 */
export async function startCallbackReceiver(
  onCallback: (callback: ReceivedCallback) => void = () => {},
  settings: ReceiverSettings = {},
): Promise<CallbackReceiver> {
  const credentials = { appid: 'sobot-bridge-cli', appKey: settings.appKey ?? randomUUID() };
  const tokens = new Set<string>();
  const received: ReceivedCallback[] = [];
  const waiters = new Set<(callback: ReceivedCallback) => void>();
  const app = new Hono();

  app.get(SOBOT_PATHS.token, (c) => {
    const { appid, create_time: createTime, sign } = c.req.query();
    if (appid !== credentials.appid || sign !== sobotSign(appid, String(createTime), credentials.appKey))
      return c.json({ ret_code: '900001', ret_msg: 'sign error' });
    const token = randomUUID();
    tokens.add(token);
    return c.json({ ret_code: '000000', ret_msg: 'success', item: { token, expires_in: '86400' } });
  });

  const accept = (kind: CallbackKind, toItems: (body: unknown) => unknown[]) => async (c: import('hono').Context) => {
    const problems: string[] = [];
    const body: unknown = await c.req.json().catch(() => undefined);
    let rawItems: unknown[] = [];
    try {
      rawItems = toItems(body);
    } catch {
      problems.push(`body is not a ${kind} callback`);
    }
    const items = rawItems.flatMap((raw, index) => {
      const parsed = thirdAlgorithmResponseItemSchema.safeParse(raw);
      if (!parsed.success) problems.push(`item ${index + 1} is not a ThirdAlgorithmRespVo`);
      return parsed.success ? [parsed.data] : [];
    });
    const callback = { kind, items, authorised: tokens.has(c.req.header('token') ?? ''), problems };
    received.push(callback);
    onCallback(callback);
    for (const waiter of waiters) waiter(callback);
    return c.json({ ret_code: '000000', ret_msg: 'success' });
  };
  app.post(
    SOBOT_PATHS.copilotCallback,
    accept('copilot', (body) => copilotBodySchema.parse(body).algorithm_resp_vos),
  );
  app.post(
    SOBOT_PATHS.batchCallback,
    accept('batch', (body) => [z.object({}).loose().parse(body)]),
  );

  const server: ServerType = await new Promise((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: settings.port ?? 0, hostname: '127.0.0.1' }, () =>
      resolve(started),
    );
    started.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(`the callback receiver cannot listen on 127.0.0.1:${settings.port}: ${error.code ?? error.message}`),
      ),
    );
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    ...credentials,
    received,
    waitFor(matches, timeoutMs) {
      const already = received.find(matches);
      if (already) return Promise.resolve(already);
      return new Promise((resolve) => {
        const timer = setTimeout(() => finish(undefined), timeoutMs);
        const waiter = (callback: ReceivedCallback) => matches(callback) && finish(callback);
        const finish = (callback: ReceivedCallback | undefined) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(callback);
        };
        waiters.add(waiter);
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The settings that point an agent's callbacks at `receiver`. */
export function receiverSettings(receiver: CallbackReceiver) {
  return { SOBOT_BASE_URL: receiver.baseUrl, SOBOT_APPID: receiver.appid, SOBOT_APP_KEY: receiver.appKey };
}

/** The same, as an agent in another process is started with them. */
export function receiverEnvironment(receiver: CallbackReceiver): string {
  return Object.entries(receiverSettings(receiver))
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}
