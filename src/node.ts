import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { ConfigError, parseConfig, type Config } from './config.js';
import { ConfigFileError } from './config-file/bridge-config-file.js';
import { createNodeRuntime, type NodeRuntime } from './node-runtime.js';

// After the rounds finish, their last frames may still be on their way out; this bounds that wait.
const FLUSH_MS = 2000;

async function main() {
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }

  let runtime: NodeRuntime;
  try {
    runtime = await createNodeRuntime(config);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    console.error(`Invalid config file:\n${error.message}`);
    process.exit(1);
  }
  const { logger } = runtime.deps;
  const server = serve({ fetch: runtime.app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    logger.info('listening', {
      url: `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`,
      webhook: '/sobot/agent',
      database: config.DATABASE_PATH,
      llm: runtime.deps.llm ? config.OPENAI_MODEL : 'none (fallback text only)',
      auth: config.WEBHOOK_TOKEN ? 'token required' : 'open (WEBHOOK_TOKEN not set)',
    });
  }) as Server;

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
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, FLUSH_MS))]);
  clearInterval(sweep);
  await runtime.close();
}

await main();
