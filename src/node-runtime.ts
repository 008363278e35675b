import type { Hono } from 'hono';
import { llmSourceFromConfig } from './answer/llm-from-config.js';
import { createApp } from './app.js';
import type { AppDeps } from './app-deps.js';
import type { Config } from './config.js';
import { systemClock, type Clock } from './runtime/clock.js';
import { createInflightRounds } from './runtime/inflight.js';
import { createJsonLogger, type Logger } from './runtime/logger.js';
import { createDrizzleRoundStore } from './store/drizzle-round-store.js';
import { openNodeDatabase } from './store/open-node-database.js';

export interface NodeRuntime {
  app: Hono;
  deps: AppDeps;
  /** Waits for rounds under way, aborting what is left after `graceMs`; true when all finished. */
  drain(graceMs: number): Promise<boolean>;
  close(): void;
}

/** The app wired for Node: embedded SQLite (migrated on open), the openai SDK, timers. */
export function createNodeRuntime(config: Config, options: { clock?: Clock; logger?: Logger } = {}): NodeRuntime {
  const database = openNodeDatabase(config.DATABASE_PATH);
  const logger = options.logger ?? createJsonLogger(config.LOG_LEVEL);
  const deps: AppDeps = {
    config,
    store: createDrizzleRoundStore(database.db),
    llm: llmSourceFromConfig(config, logger),
    clock: options.clock ?? systemClock,
    logger,
    inflight: createInflightRounds(),
  };
  if (!deps.llm) logger.warn('OPENAI_API_KEY is not set: questions get the fallback text, WELCOME still works');
  return {
    app: createApp(deps),
    deps,
    drain: (graceMs) => deps.inflight.drain(graceMs),
    close: () => database.close(),
  };
}
