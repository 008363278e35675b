import { AsyncLocalStorage } from 'node:async_hooks';
import { drizzle } from 'drizzle-orm/d1';
import type { Hono } from 'hono';
import configFileText from '../bridge.yaml';
import { llmSourceFromConfig } from './answer/llm-from-config.js';
import { createApp } from './app.js';
import type { AppDeps } from './app-deps.js';
import { deliverDueCallbacks, type DeliveryDeps } from './callbacks/deliver-callbacks.js';
import { deliveryFromConfig } from './callbacks/delivery-from-config.js';
import { logSettings } from './config.js';
import { createDatabaseMetrics } from './metrics/database-metrics.js';
import { connectStandardWebSocket } from './peers/standard-websocket.js';
import { DEFAULT_PRUNE_BATCH_SIZE, pruneExpiredRows } from './retention/prune-expired-rows.js';
import { recoverAbandonedRounds } from './round/recover-rounds.js';
import { wireRounds, type RoundWiring } from './round/round-wiring.js';
import { createDrizzleStores } from './store/drizzle-stores.js';
import type { RetentionStore } from './store/retention-store.js';
import { systemClock } from './runtime/clock.js';
import { createInflightRounds } from './runtime/inflight.js';
import { errorFields, type Logger } from './runtime/logger.js';
import { createPinoLogger } from './runtime/pino-logger.js';
import { readSettings, unconfigured, type Unconfigured } from './runtime/worker-settings.js';
import { NODE_ONLY_SETTINGS, workerVariables } from './runtime/worker-variables.js';
import { ungroupedWrite, type AtomicWrite } from './store/sqlite-database.js';
import { warnOfExampleHosts } from './config-file/example-hosts.js';

/**
 * Cloudflare Workers entry: the same app on D1. Bindings and vars arrive with each event, so the app is
 * built once per isolate and env (the WeakMap ties it to that env, not to the module). Work that outlives
 * a response — copilot answers, callback delivery, a round whose caller hung up — is kept alive with
 * `waitUntil`; a cron trigger sweeps the outbox and answers abandoned rounds, so nothing pending is
 * stranded. Settings that do not read leave every request answered with what to fix (`unconfigured`).
 */
export interface WorkerEnv {
  DB: Parameters<typeof drizzle>[0];
  [variable: string]: unknown;
}

interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}

interface Wired {
  app: Hono;
  deps: AppDeps;
  rounds: RoundWiring;
  delivery: DeliveryDeps;
  retention: RetentionStore;
  logger: Logger;
}

// Per cron run (every minute): up to 1,000 rows a table, so a backlog clears over runs within the CPU budget.
const PRUNE_BATCHES_PER_RUN = 5;

const wiredByEnv = new WeakMap<WorkerEnv, Wired | Unconfigured>();
// The event being handled, so work started deep in a round (a callback delivery) can ask it to wait.
const currentEvent = new AsyncLocalStorage<WorkerContext>();

function wire(env: WorkerEnv): Wired | Unconfigured {
  const cached = wiredByEnv.get(env);
  if (cached) return cached;
  let wired: Wired | Unconfigured;
  try {
    wired = wireApp(env);
  } catch (error) {
    wired = unconfigured(error);
  }
  // A failure is kept too: the settings do not change within an isolate, only with a new deploy.
  wiredByEnv.set(env, wired);
  return wired;
}

function wireApp(env: WorkerEnv): Wired {
  const variables = workerVariables(env);
  const { config, configFile } = readSettings(variables, configFileText);
  // pino's browser build, which wrangler bundles for workerd: JSON lines to console.log, same redaction.
  const logger = createPinoLogger(logSettings(config));
  warnOfExampleHosts(configFile, logger);
  const ignored = NODE_ONLY_SETTINGS.filter((name) => variables[name]);
  if (ignored.length > 0) logger.warn('settings ignored on Workers', { settings: ignored });
  const db = drizzle(env.DB);
  const atomic: AtomicWrite = async (queries) => {
    await db.batch(queries as never);
  };
  const stores = createDrizzleStores(db, atomic, ungroupedWrite, logger);
  const metrics = createDatabaseMetrics(stores.metrics, systemClock);
  const fetchOut: typeof fetch = (input, init) => fetch(input, init);
  const delivery = deliveryFromConfig(config, {
    callbackStore: stores.callbacks,
    tokenStore: stores.tokens,
    fetch: fetchOut,
    clock: systemClock,
    logger,
    metrics,
  });
  const keepAlive = (work: Promise<unknown>) => {
    const guarded = work.catch((error: unknown) => logger.error('background work failed', errorFields(error)));
    currentEvent.getStore()?.waitUntil(guarded);
  };
  // Whoever awaits a held task reports its failure; waitUntil only needs to know when it settles.
  const hold = (task: Promise<unknown>) => currentEvent.getStore()?.waitUntil(task.catch(() => {}));
  const deps: AppDeps = {
    config,
    store: stores.rounds,
    llm: llmSourceFromConfig(config),
    knowledge: stores.knowledge,
    clock: systemClock,
    logger,
    metrics,
    inflight: createInflightRounds(),
    callbacks: { notify: () => keepAlive(deliverDueCallbacks(delivery)), stop: async () => {} },
    background: {
      defer: (task) => keepAlive(task),
      later: (work) => keepAlive(new Promise((resolve) => setTimeout(resolve, 0)).then(work)),
      hold,
    },
    configFile,
    workflowSessions: stores.workflowSessions,
    peerSessions: stores.peerSessions,
    admin: stores.admin,
    fetch: fetchOut,
    connectWebSocket: connectStandardWebSocket,
  };
  const rounds = wireRounds(deps);
  return { app: createApp(deps, rounds), deps, rounds, delivery, retention: stores.retention, logger };
}

export default {
  fetch(request: Request, env: WorkerEnv, context: WorkerContext): Response | Promise<Response> {
    const { app } = wire(env);
    return currentEvent.run(context, () => app.fetch(request, env, context as never));
  },

  /**
   * The cron trigger: deliver what is due in the outbox, answer rounds whose callback was cut off, delete a
   * few batches of what is past retention.
   */
  scheduled(_controller: unknown, env: WorkerEnv, context: WorkerContext): void {
    const wired = wire(env);
    if ('failure' in wired) {
      wired.logger.error('scheduled sweep skipped: the Worker is not set up', wired.failure.logFields);
      return;
    }
    // Started inside the event's context: work the sweep sets off (a recovered round's callback, its
    // conversation's record) asks this event to wait for it, as a request's does.
    context.waitUntil(currentEvent.run(context, () => sweep(wired)));
  },
};

function sweep({ deps, rounds, delivery, retention, logger }: Wired): Promise<void> {
  const prune = pruneExpiredRows(
    { retention, clock: deps.clock, logger, metrics: deps.metrics },
    {
      retentionDays: deps.config.RETENTION_DAYS,
      batchSize: DEFAULT_PRUNE_BATCH_SIZE,
      maxBatches: PRUNE_BATCHES_PER_RUN,
    },
  ).catch((error: unknown) => logger.error('pruning rows past retention failed', errorFields(error)));
  return Promise.all([deliverDueCallbacks(delivery), recoverAbandonedRounds(deps, rounds), prune]).then(
    ([pass, recovered]) =>
      logger.info('scheduled sweep', { delivered: pass.delivered, failed: pass.failed, recovered }),
    (error: unknown) => logger.error('scheduled sweep failed', errorFields(error)),
  );
}
