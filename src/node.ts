import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { parseConfig, type Config } from './config.js';
import { createNodeRuntime, type NodeRuntime } from './node-runtime.js';
import { errorFields } from './runtime/logger.js';
import { listenFailure, startupFailure } from './runtime/startup-failure.js';
import { settlesWithin } from './runtime/settles-within.js';

// After the rounds finish, their last frames may still be on their way out; this bounds that wait.
const FLUSH_MS = 2000;

/** A start that cannot succeed: one message on stderr naming what to fix, and exit code 1. */
function failStart(error: unknown): never {
  const message = startupFailure(error);
  if (message === undefined) throw error;
  console.error(message);
  process.exit(1);
}

async function main() {
  let config: Config;
  let runtime: NodeRuntime;
  try {
    config = parseConfig(process.env);
    runtime = await createNodeRuntime(config);
  } catch (error) {
    failStart(error);
  }
  const { logger } = runtime.deps;
  const server = serve({ fetch: runtime.app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    logger.info('listening', {
      url: `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`,
      webhook: '/sobot/agent',
      database: config.DATABASE_PATH,
      llm: runtime.deps.llm ? config.OPENAI_MODEL : 'none (OPENAI_API_KEY not set)',
      auth: config.WEBHOOK_TOKEN ? 'token required' : 'open (WEBHOOK_TOKEN not set)',
    });
  }) as Server;
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (server.listening) {
      logger.error('HTTP server error', errorFields(error));
      return;
    }
    console.error(listenFailure(error, config));
    void runtime.close().finally(() => process.exit(1));
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn('second signal: exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('stopping: no new connections, letting rounds finish', {
      signal,
      inflight: runtime.deps.inflight.size,
      graceMs: config.SHUTDOWN_GRACE_MS,
    });
    shutdown(server, runtime, config.SHUTDOWN_GRACE_MS).then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function shutdown(server: Server, runtime: NodeRuntime, graceMs: number) {
  // Node closes idle keep-alive connections now and refuses new ones; busy ones finish their response.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const pending = runtime.deps.inflight.size;
  if (!(await runtime.drain(graceMs))) {
    runtime.deps.logger.warn('shutdown grace expired: rounds still under way were aborted and stored as such', {
      pending,
    });
  }
  // A keep-alive connection whose last response ends after close() stays open until closed as idle.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  await settlesWithin(closed, FLUSH_MS);
  clearInterval(sweep);
  await runtime.close();
}

await main();
