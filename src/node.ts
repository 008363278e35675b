import { serve } from '@hono/node-server';
import { ConfigError, parseConfig } from './config.js';
import { createNodeRuntime, type NodeRuntime } from './node-runtime.js';

function main() {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }

  const runtime = createNodeRuntime(config);
  const { logger } = runtime.deps;
  const server = serve({ fetch: runtime.app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    logger.info('listening', {
      url: `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`,
      webhook: '/sobot/agent',
      database: config.DATABASE_PATH,
      llm: runtime.deps.llm ? config.OPENAI_MODEL : 'none (fallback text only)',
      auth: config.WEBHOOK_TOKEN ? 'token required' : 'open (WEBHOOK_TOKEN not set)',
    });
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
    // Node closes idle keep-alive connections now and busy ones once their response ends.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    shutdown(runtime, closed, config.SHUTDOWN_GRACE_MS)
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error('shutdown failed', { error: String(error) });
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function shutdown(runtime: NodeRuntime, serverClosed: Promise<void>, graceMs: number) {
  const { logger, inflight } = runtime.deps;
  const pending = inflight.size;
  if (!(await runtime.drain(graceMs))) {
    logger.warn('shutdown grace expired: rounds still under way were aborted and stored as such', { pending });
  }
  // The last frames of a finished round may still be on their way out; give them a moment.
  await Promise.race([serverClosed, new Promise((resolve) => setTimeout(resolve, FLUSH_MS))]);
  runtime.close();
}

const FLUSH_MS = 2000;

main();
