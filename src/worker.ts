import { AsyncLocalStorage } from 'node:async_hooks';
import { drizzle } from 'drizzle-orm/d1';
import type { Hono } from 'hono';
import configFileText from '../bridge.yaml';
import { llmSourceFromConfig } from './answer/llm-from-config.js';
import { createApp } from './app.js';
import type { AppDeps } from './app-deps.js';
import { deliverDueCallbacks, type DeliveryDeps } from './callbacks/deliver-callbacks.js';
import { deliveryFromConfig } from './callbacks/delivery-from-config.js';
import { ConfigFileError, parseBridgeConfigFile, type BridgeConfigFile } from './config-file/bridge-config-file.js';
import { ConfigError, logSettings, parseConfig, type Config } from './config.js';
import { createUnconfiguredApp, type SetupFailure } from './http/unconfigured-app.js';
import { createDatabaseMetrics } from './metrics/database-metrics.js';
import { connectStandardWebSocket } from './peers/standard-websocket.js';
import { recoverAbandonedRounds } from './round/recover-rounds.js';
import { wireRounds, type RoundWiring } from './round/round-wiring.js';
import { createDrizzleStores } from './store/drizzle-stores.js';
import { systemClock } from './runtime/clock.js';
import { createInflightRounds } from './runtime/inflight.js';
import { errorFields, type Logger } from './runtime/logger.js';
import { createPinoLogger } from './runtime/pino-logger.js';
import { workerVariables } from './runtime/worker-variables.js';
import { ungroupedWrite, type AtomicWrite } from './store/sqlite-database.js';

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
  logger: Logger;
}

/** The app that answers when the Worker's settings do not read, and why. */
interface Unconfigured {
  app: Hono;
  logger: Logger;
  failure: SetupFailure;
}

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
  const { config, configFile } = readSettings(variables);
  // pino's browser build, which wrangler bundles for workerd: JSON lines to console.log, same redaction.
  const logger = createPinoLogger(logSettings(config));
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
  return { app: createApp(deps, rounds), deps, rounds, delivery, logger };
}

/** Invalid settings, or an invalid bundled config file: every problem found in either, one a line. */
class SettingsError extends Error {
  override name = 'SettingsError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** The settings and the bundled config file, both read before either fails: one deploy can fix all. */
function readSettings(variables: Record<string, string>): { config: Config; configFile: BridgeConfigFile } {
  const problems: string[] = [];
  const read = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof ConfigError || error instanceof ConfigFileError)) throw error;
      // Each line names a setting or a file:line and field, and what is wrong with it; never its value.
      problems.push(
        ...error.message
          .replace(/^Invalid configuration:\n/, '')
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
      );
      return undefined;
    }
  };
  const config = read(() => parseConfig(variables));
  const configFile = read(() => parseBridgeConfigFile(configFileText, 'bridge.yaml', variables));
  if (!config || !configFile) throw new SettingsError(problems);
  return { config, configFile };
}

/**
 * Node refuses to start with a bad setting; a Worker has no start, so each request is told instead. The
 * problems go to the caller too: they name settings and fields, and no setting's value (secrets among them).
 */
function unconfigured(error: unknown): Unconfigured {
  // The settings would choose the log level; these lines are errors, which any level shows.
  const logger = createPinoLogger({ level: 'info', redactVisitorText: true });
  const failure: SetupFailure =
    error instanceof SettingsError
      ? {
          message: `invalid settings; fix them and deploy again: ${error.problems.join('; ')}`,
          logMessage: 'request refused: invalid settings',
          logFields: { problems: error.problems },
        }
      : {
          message: 'internal error; the details are in the service log',
          logMessage: 'request refused: the Worker could not be set up',
          logFields: errorFields(error),
        };
  return { app: createUnconfiguredApp(failure, logger), logger, failure };
}

export default {
  fetch(request: Request, env: WorkerEnv, context: WorkerContext): Response | Promise<Response> {
    const { app } = wire(env);
    return currentEvent.run(context, () => app.fetch(request, env, context as never));
  },

  /** The cron trigger: deliver what is due in the outbox, answer rounds whose callback was cut off. */
  scheduled(_controller: unknown, env: WorkerEnv, context: WorkerContext): void {
    const wired = wire(env);
    if ('failure' in wired) {
      wired.logger.error('scheduled sweep skipped: the Worker is not set up', wired.failure.logFields);
      return;
    }
    const { deps, rounds, delivery, logger } = wired;
    const sweep = Promise.all([deliverDueCallbacks(delivery), recoverAbandonedRounds(deps, rounds)]).then(
      ([pass, recovered]) =>
        logger.info('scheduled sweep', { delivered: pass.delivered, failed: pass.failed, recovered }),
      (error: unknown) => logger.error('scheduled sweep failed', errorFields(error)),
    );
    context.waitUntil(currentEvent.run(context, () => sweep));
  },
};
