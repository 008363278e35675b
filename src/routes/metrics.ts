import { Hono } from 'hono';
import type { AppDeps } from '../app-deps.js';
import { tokenAuth } from '../http/token-auth.js';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/metrics.js';

/** `GET /` — the Prometheus scrape (mounted at /metrics), behind METRICS_TOKEN when one is set. */
export function createMetricsRoute(deps: AppDeps): Hono {
  const route = new Hono();
  route.get('/', tokenAuth(deps.config.METRICS_TOKEN, 'metrics'), async (c) =>
    c.body(await deps.metrics.scrape(), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE }),
  );
  return route;
}
