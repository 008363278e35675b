import type { Hono } from 'hono';
import { llmSourceFromConfig } from './answer/llm-from-config.js';
import { createApp } from './app.js';
import type { AppDeps } from './app-deps.js';
import { createTimerDispatcher } from './callbacks/callback-dispatcher.js';
import { deliverDueCallbacks, type DeliveryDeps } from './callbacks/deliver-callbacks.js';
import { deliveryFromConfig } from './callbacks/delivery-from-config.js';
import { logSettings, type Config } from './config.js';
import { createPromMetrics } from './metrics/prom-metrics.js';
import { createNodeBackgroundWork } from './runtime/background-work.js';
import { settlesWithin } from './runtime/settles-within.js';
import { createDrizzleStores } from './store/drizzle-stores.js';
import { systemClock, type Clock } from './runtime/clock.js';
import { createInflightRounds } from './runtime/inflight.js';
import type { Logger } from './runtime/logger.js';
import { createNodeModelHttp } from './runtime/node-model-http.js';
import { createPinoLogger } from './runtime/pino-logger.js';
import { recoverAbandonedRounds } from './round/recover-rounds.js';
import { DEFAULT_PRUNE_BATCH_SIZE, pruneExpiredRows } from './retention/prune-expired-rows.js';
import type { PrunedRows } from './store/retention-store.js';
import { startPeriodicTask } from './runtime/periodic-task.js';
import { wireRounds, type RoundWiring } from './round/round-wiring.js';
import { openNodeDatabase } from './store/open-node-database.js';
import { loadBridgeConfigFile } from './config-file/load-bridge-config-file.js';
import { connectNodeWebSocket } from './peers/node-websocket.js';
import { nodeEventStream } from './runtime/node-event-stream.js';
import { nodeJsonReply } from './runtime/node-json-reply.js';
import { startNodeKnowledge } from './knowledge/node-knowledge.js';
import type { SyncReport } from './knowledge/sync-knowledge.js';
import { warnOfExampleHosts } from './config-file/example-hosts.js';

export interface NodeRuntime {
  app: Hono;
  deps: AppDeps;
  delivery: DeliveryDeps;
  /**
   * Stops the periodic recovery and retention, then waits for rounds under way (those starting meanwhile too),
   * aborting what is left after `graceMs`; true when all finished.
   */
  drain(graceMs: number): Promise<boolean>;
  /**
   * Brings the knowledge index in line with KNOWLEDGE_DIR (also run at start and on file changes); throws
   * `MissingKnowledgeDirectory` when it is not there.
   */
  reindexKnowledge(): Promise<SyncReport>;
  /**
   * Answers again the abandoned rounds that owe a callback, as the periodic sweep does; how many. Once `stop` aborts,
   * it takes up no more.
   */
  recoverAbandonedRounds(stop?: AbortSignal): Promise<number>;
  /** Deletes what is past RETENTION_DAYS, as the hourly sweep does; how many rows of each table. */
  pruneExpiredRows(): Promise<PrunedRows>;
  /** Stops callback delivery (waiting for a pass under way) and closes the database. */
  close(): Promise<void>;
}

export interface NodeRuntimeOptions {
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  /** Where log lines go instead of stdout (the configured logger, redaction included). */
  logWrite?: ((line: string) => void) | undefined;
  fetch?: typeof fetch | undefined;
  /** Where `${NAME}` in the config file is looked up; the process environment by default. */
  env?: Record<string, string | undefined> | undefined;
  /** How often KNOWLEDGE_DIR's name is checked for a directory swapped in (5 s). */
  knowledgeRecheckMs?: number | undefined;
  /** Rows per table per retention batch (`DEFAULT_PRUNE_BATCH_SIZE`). */
  pruneBatchSize?: number | undefined;
}

// Abandoned rounds are only found once stale (the model's total timeout plus a margin), so a slow sweep suffices.
const RECOVERY_INTERVAL_MS = 30_000;
// Retention counts in days; an hourly sweep keeps each one small.
const PRUNE_INTERVAL_MS = 3_600_000;
// After the drain, what is left is a round's report or record: a few statements each, unless the database hangs.
const BACKGROUND_SETTLE_MS = 5_000;

/**
 * The app wired for Node: embedded SQLite (migrated on open), the knowledge directory indexed before the
 * first request, the model API over node:http, in-process timers.
 */
export async function createNodeRuntime(config: Config, options: NodeRuntimeOptions = {}): Promise<NodeRuntime> {
  const logger = options.logger ?? createPinoLogger(logSettings(config), options.logWrite);
  // First: a config file that stops the start must leave nothing open (the database, its thread, a watcher).
  const configFile = (await loadConfigFile(config, options.env ?? process.env, logger)).settings;
  const database = openNodeDatabase(config.DATABASE_PATH, { warn: logger.warn });
  const stores = createDrizzleStores(database.db, database.atomic, database.grouped, logger);
  const clock = options.clock ?? systemClock;
  const inflight = createInflightRounds();
  const metrics = createPromMetrics({ store: stores.metrics, clock, inflight });
  const delivery = deliveryFromConfig(config, {
    callbackStore: stores.callbacks,
    tokenStore: stores.tokens,
    fetch: options.fetch ?? fetch,
    clock,
    logger,
    metrics,
  });
  const knowledge = stores.knowledge;
  const knowledgeFiles = await startNodeKnowledge(knowledge, {
    directory: config.KNOWLEDGE_DIR,
    watch: config.KNOWLEDGE_WATCH,
    recheckMs: options.knowledgeRecheckMs,
    clock,
    logger,
  });
  const background = createNodeBackgroundWork(logger);
  const deps: AppDeps = {
    config,
    configFile,
    workflowSessions: stores.workflowSessions,
    peerSessions: stores.peerSessions,
    admin: stores.admin,
    fetch: options.fetch ?? fetch,
    connectWebSocket: connectNodeWebSocket,
    eventStream: nodeEventStream,
    jsonReply: nodeJsonReply,
    store: stores.rounds,
    llm: llmSourceFromConfig(config, createNodeModelHttp()),
    knowledge,
    clock,
    logger,
    metrics,
    inflight,
    callbacks: createTimerDispatcher({
      deliver: () => deliverDueCallbacks(delivery),
      pollIntervalMs: config.CALLBACK_POLL_INTERVAL_MS,
      clock,
      logger,
    }),
    background,
  };
  if (!deps.llm) {
    logger.warn(
      'OPENAI_API_KEY is not set: no model; the knowledge base, the workflows and the welcome answer what they can, the rest gets the fallback text',
    );
  }
  if (!delivery.sobot) {
    logger.warn(
      'SOBOT_APPID/SOBOT_APP_KEY are not set: copilot and batch-test callbacks are queued, and every attempt to send them fails until they are (then dead after CALLBACK_MAX_ATTEMPTS)',
    );
  }
  const rounds = wireRounds(deps);
  const recovery = startPeriodicTask((signal) => recoverAbandonedRounds(deps, rounds, signal), {
    intervalMs: RECOVERY_INTERVAL_MS,
    logger,
    failure: 'recovering abandoned rounds failed',
  });
  const retention = { retention: stores.retention, clock, logger, metrics };
  const retentionSettings = {
    retentionDays: config.RETENTION_DAYS,
    batchSize: options.pruneBatchSize ?? DEFAULT_PRUNE_BATCH_SIZE,
  };
  const pruning = startPeriodicTask((signal) => pruneExpiredRows(retention, retentionSettings, signal), {
    intervalMs: PRUNE_INTERVAL_MS,
    logger,
    failure: 'pruning rows past retention failed',
  });
  // Stopped as a shutdown begins: a recovery started during the drain would answer rounds past its grace.
  let tasksStopped: Promise<unknown> | undefined;
  const stopTasks = () => (tasksStopped ??= Promise.all([recovery.stop(), pruning.stop()]));
  return {
    app: createApp(deps, rounds),
    deps,
    delivery,
    drain: (graceMs) => {
      void stopTasks();
      return deps.inflight.drain(graceMs);
    },
    reindexKnowledge: knowledgeFiles.reindex,
    recoverAbandonedRounds: (stop) => recoverAbandonedRounds(deps, rounds, stop),
    pruneExpiredRows: () => pruneExpiredRows(retention, retentionSettings),
    async close() {
      knowledgeFiles.stop();
      await stopTasks();
      // A round's report and its conversation's record follow its reply; the database must outlast them.
      if (!(await settlesWithin(background.settled(), BACKGROUND_SETTLE_MS))) {
        logger.warn('closing with background work still under way', { waitedMs: BACKGROUND_SETTLE_MS });
      }
      await deps.callbacks.stop();
      database.close();
    },
  };
}

/** The config file, and one line saying what it holds: a file that is not there must not pass for an empty one. */
async function loadConfigFile(config: Config, env: Record<string, string | undefined>, logger: Logger) {
  const loaded = await loadBridgeConfigFile(config.BRIDGE_CONFIG, env);
  const { workflows, interfaces, peers, routes } = loaded.settings;
  logger.info(loaded.found ? 'config file loaded' : 'no config file: no workflows, interfaces, peers or routes', {
    file: loaded.file,
    workflows: workflows.length,
    interfaces: Object.keys(interfaces).length,
    peers: Object.keys(peers).length,
    robotRoutes: Object.keys(routes.robots).length,
  });
  warnOfExampleHosts(loaded.settings, logger);
  return loaded;
}
