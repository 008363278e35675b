import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { parseConfig } from '../config.js';
import { createNodeRuntime } from '../node-runtime.js';
import { receiverSettings, type CallbackReceiver } from './callback-receiver.js';
import { startSampleShop } from './sample-shop.js';

export interface LocalBridge {
  /** The webhook URL, as it would be entered in Sobot. */
  webhookUrl: string;
  databasePath: string;
  stop(): Promise<void>;
}

/**
 * The bridge in this process, on a temporary database that is removed on stop, configured from the environment
 * (so `OPENAI_API_KEY`, `KNOWLEDGE_DIR`, `BRIDGE_CONFIG` apply as for `npm start`), with Sobot's callbacks
 * pointed at the local receiver. Its logs go to stderr, warnings and up by default, to keep the chat readable.
 * With the sample config, the sample shop's interfaces run beside it (`sample-shop.ts`).
 */
export async function startLocalBridge(
  receiver: CallbackReceiver | undefined,
  env: Record<string, string | undefined> = process.env,
): Promise<LocalBridge> {
  // The sample config's shop interfaces, unless the operator brought a config file or the shop's own URLs.
  const shop = env.BRIDGE_CONFIG || env.ORDER_API_URL || env.PRODUCT_API_URL ? undefined : await startSampleShop();
  const bridgeEnv = shop ? { ...env, ...shop.env } : env;
  const directory = mkdtempSync(join(tmpdir(), 'sobot-bridge-cli-'));
  const databasePath = join(directory, 'bridge.db');
  const config = parseConfig({
    ...bridgeEnv,
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    DATABASE_PATH: databasePath,
    KNOWLEDGE_WATCH: 'false',
    // Sobot's token API and callbacks are the CLI's own receiver, which checks what the bridge sends it.
    ...(receiver ? receiverSettings(receiver) : {}),
  });
  const runtime = await createNodeRuntime(config, {
    env: bridgeEnv,
    logWrite: (line) => process.stderr.write(`${line}\n`),
  });
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: runtime.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started as Server),
    );
  });
  const { port } = server.address() as AddressInfo;
  // The CLI plays Sobot without a token unless the operator set one.
  const token = config.WEBHOOK_TOKEN ? `?token=${encodeURIComponent(config.WEBHOOK_TOKEN)}` : '';
  return {
    webhookUrl: `http://127.0.0.1:${port}/sobot/agent${token}`,
    databasePath,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runtime.drain(1000);
      await runtime.close();
      await shop?.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
