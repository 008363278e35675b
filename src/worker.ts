import { drizzle } from 'drizzle-orm/d1';
import type { Hono } from 'hono';
import { llmSourceFromConfig } from './answer/llm-from-config.js';
import { createApp } from './app.js';
import { parseBridgeConfigFile } from './config-file/bridge-config-file.js';
import { createDrizzleSessionStore } from './workflows/drizzle-session-store.js';
import { createDrizzlePeerSessionStore } from './peers/peer-session-store.js';
import { noopCallbackDispatcher } from './callbacks/callback-dispatcher.js';
import { parseConfig } from './config.js';
import { systemClock } from './runtime/clock.js';
import { createInflightRounds } from './runtime/inflight.js';
import { createJsonLogger } from './runtime/logger.js';
import { createDrizzleRoundStore } from './store/drizzle-round-store.js';

/**
 * Cloudflare Workers entry: the same app on D1. Bindings and vars arrive per request, so the app is
 * built once per isolate and env (the WeakMap keeps it tied to that env, not to the module).
 * Deployment and its workerd tests are completed by the Workers issue; see the README.
 */
export interface WorkerEnv {
  DB: Parameters<typeof drizzle>[0];
  [variable: string]: unknown;
}

const apps = new WeakMap<WorkerEnv, Hono>();

function appFor(env: WorkerEnv): Hono {
  let app = apps.get(env);
  if (!app) {
    const variables = Object.fromEntries(
      Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    const config = parseConfig(variables);
    const logger = createJsonLogger(config.LOG_LEVEL);
    const db = drizzle(env.DB);
    app = createApp({
      config,
      store: createDrizzleRoundStore(db, async (queries) => {
        await db.batch(queries as never);
      }),
      llm: llmSourceFromConfig(config, logger),
      clock: systemClock,
      logger,
      inflight: createInflightRounds(),
      // The config file (workflows) is bundled or loaded into D1 by the Workers work; none until then.
      configFile: parseBridgeConfigFile('', 'bridge.yaml'),
      workflowSessions: createDrizzleSessionStore(db),
      peerSessions: createDrizzlePeerSessionStore(db),
      fetch: (input, init) => fetch(input, init),
      connectWebSocket: () => {
        throw new Error('CybotStar streaming on Workers comes with the Workers work');
      },
      // Delivery on Workers (waitUntil after each round, and a cron sweep) comes with the Workers work;
      // until then callbacks stay queued in D1.
      callbacks: noopCallbackDispatcher,
      background: {
        defer: (context, task) => context.executionCtx.waitUntil(task.catch(() => undefined)),
      },
    });
    apps.set(env, app);
  }
  return app;
}

export default {
  fetch(request: Request, env: WorkerEnv, context: unknown): Response | Promise<Response> {
    return appFor(env).fetch(request, env, context as never);
  },
};
