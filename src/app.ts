import { Hono } from 'hono';
import { createAdminRoutes } from './admin/admin-routes.js';
import { requestId } from 'hono/request-id';
import type { AppDeps } from './app-deps.js';
import { ApiError, errorCodes } from './http/api-error.js';
import { errorFields } from './runtime/logger.js';
import { createErrorHandler, refuse } from './http/error-handler.js';
import { wireRounds, type RoundWiring } from './round/round-wiring.js';
import { createAgentWebhook } from './routes/agent-webhook.js';
import { createMetricsRoute } from './routes/metrics.js';

/** Builds the HTTP app from injected effects; no runtime-specific imports, so Node, Workers and tests share it. */
export function createApp(deps: AppDeps, rounds: RoundWiring = wireRounds(deps)): Hono {
  const app = new Hono();
  // Sobot's (or a proxy's) X-Request-Id when it is a plain token, else a new UUID; echoed in the response.
  app.use(requestId());
  app.onError(createErrorHandler(deps));
  app.notFound((c) => {
    const { status, code } = errorCodes.notFound;
    return refuse(
      deps,
      c,
      status,
      code,
      `no route for ${c.req.method} ${c.req.path}; Sobot's webhook is POST /sobot/agent`,
    );
  });

  app.get('/healthz', async (c) => {
    try {
      await deps.store.ping();
    } catch (error) {
      deps.logger.error('health check: database unavailable', errorFields(error));
      throw new ApiError('unavailable', 'database unavailable');
    }
    return c.json({ status: 'ok', inflightRounds: deps.inflight.size });
  });
  app.route('/sobot/agent', createAgentWebhook(deps, rounds));
  // Without a token nothing of the console exists: /admin answers 404 like any unknown path.
  if (deps.admin && deps.config.ADMIN_TOKEN) {
    app.route('/admin', createAdminRoutes(deps, deps.admin, deps.config.ADMIN_TOKEN));
  }
  app.route('/metrics', createMetricsRoute(deps));
  return app;
}
