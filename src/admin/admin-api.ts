import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps } from '../app-deps.js';
import { ApiError } from '../http/api-error.js';
import { loadCallbacks, loadConversation, loadConversations, loadHealth, type Versioned } from './admin-data.js';
import {
  batchRunsQuerySchema,
  callbackQuerySchema,
  conversationQuerySchema,
  healthQuerySchema,
  parseQuery,
} from './admin-queries.js';
import type { AdminStore } from './admin-store.js';
import { listBatchRuns, readBatchRun } from './batch-runs.js';
import { readBatchReportUpload } from './batch-report-upload.js';

// D1 caps a row at 2 MB; a report of a few thousand questions stays well under this.
const MAX_REPORT_BYTES = 1_900_000;

/** The console's JSON API (`/admin/api/…`); authentication is checked before it. */
export function createAdminApi(deps: AppDeps, store: AdminStore): Hono {
  const api = new Hono();

  api.get('/conversations', async (c) => {
    return versionedJson(c, await loadConversations(store, parseQuery(conversationQuerySchema, c.req.query())));
  });

  api.get('/conversations/:cid', async (c) => {
    const detail = await loadConversation(store, c.req.param('cid'));
    if (!detail) throw new ApiError('notFound', `no conversation ${c.req.param('cid')}`);
    return versionedJson(c, detail);
  });

  api.get('/callbacks', async (c) => {
    return versionedJson(c, await loadCallbacks(store, parseQuery(callbackQuerySchema, c.req.query())));
  });

  // Before `/callbacks/:id/retry`, which would otherwise read "retry-dead" as an id.
  api.post('/callbacks/retry-dead', async (c) => {
    const requeued = await store.callbacks.requeueDead(deps.clock.now());
    if (requeued > 0) deps.callbacks.notify();
    return c.json({ requeued });
  });

  api.post('/callbacks/:id/retry', async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id)) throw new ApiError('badRequest', 'callback id must be a whole number');
    if (!(await store.callbacks.requeue(id, deps.clock.now()))) {
      const existing = await store.callback(id);
      if (!existing) throw new ApiError('notFound', `no callback ${id}`);
      if (existing.status === 'pending') {
        // A lease outlives a process that died holding it: it is "held", which may mean no one is sending it.
        const until = new Date(existing.leaseUntil ?? deps.clock.now()).toISOString();
        throw new ApiError(
          'conflict',
          `callback ${id} is held by a delivery attempt until ${until}; retry it after that`,
        );
      }
      throw new ApiError('conflict', `callback ${id} was already delivered`);
    }
    // Delivered at once rather than at the next poll (on Workers, within this request's waitUntil).
    deps.callbacks.notify();
    return c.json({ id, status: 'pending' });
  });

  api.get('/batch-runs', async (c) => {
    const { limit } = parseQuery(batchRunsQuerySchema, c.req.query());
    return c.json({ runs: await listBatchRuns(store, limit) });
  });

  api.get('/batch-runs/:runtimeid', async (c) => {
    const run = await readBatchRun(store, c.req.param('runtimeid'));
    if (!run) throw new ApiError('notFound', `no batch run ${c.req.param('runtimeid')}`);
    return c.json(run);
  });

  api.post(
    '/batch-reports',
    bodyLimit({
      maxSize: MAX_REPORT_BYTES,
      onError: () => {
        throw new ApiError('payloadTooLarge', `batch report over ${MAX_REPORT_BYTES} bytes`);
      },
    }),
    async (c) => {
      const { report, times } = readBatchReportUpload(await c.req.text(), deps.clock.now());
      const id = await store.saveBatchReport(report, times);
      deps.logger.info('batch report stored', { runtimeid: report.runtimeid, id, total: report.summary.total });
      return c.json({ id }, 201);
    },
  );

  api.get('/health', async (c) => {
    const { range } = parseQuery(healthQuerySchema, c.req.query());
    return versionedJson(c, await loadHealth(store, range, deps.clock.now()));
  });

  return api;
}

/**
 * Live data with its version as ETag: a page polling with `If-None-Match` gets an empty 304 until
 * something it shows changed.
 */
function versionedJson(c: Context, data: Versioned) {
  const etag = `"${data.version}"`;
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, { etag });
  return c.json(data, 200, { etag });
}
