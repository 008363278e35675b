import { Hono } from 'hono';
import type { AppDeps } from '../app-deps.js';
import { loadCallbacks, loadConversation, loadConversations, loadHealth } from './admin-data.js';
import {
  batchRunsQuerySchema,
  callbackQuerySchema,
  conversationQuerySchema,
  healthQuerySchema,
  parseQuery,
} from './admin-queries.js';
import type { AdminStore } from './admin-store.js';
import { listBatchRuns, readBatchRun } from './batch-runs.js';
import { BatchRunPage } from './pages/batch-run-page.js';
import { BatchRunsPage } from './pages/batch-runs-page.js';
import { CallbacksPage } from './pages/callbacks-page.js';
import { ConversationPage } from './pages/conversation-page.js';
import { ConversationsPage } from './pages/conversations-page.js';
import { DashboardPage } from './pages/dashboard-page.js';
import { NotFoundPage } from './pages/not-found-page.js';

// Robots offered as suggestions in the conversation filter.
const MAX_ROBOT_SUGGESTIONS = 200;

/** The console's pages, server-rendered from the same loaders as the JSON API; authentication is checked before. */
export function createAdminPages(deps: AppDeps, store: AdminStore): Hono {
  const pages = new Hono();

  pages.get('/', async (c) => {
    const { range } = parseQuery(healthQuerySchema, c.req.query());
    return c.html(<DashboardPage health={await loadHealth(store, range, deps.clock.now())} />);
  });

  pages.get('/conversations', async (c) => {
    const raw = c.req.query();
    const [list, robots] = await Promise.all([
      loadConversations(store, parseQuery(conversationQuerySchema, raw)),
      store.robots(MAX_ROBOT_SUGGESTIONS),
    ]);
    const filter = { cid: raw.cid, robot: raw.robot, from: raw.from, to: raw.to, before: raw.before };
    return c.html(<ConversationsPage list={list} filter={filter} robots={robots} />);
  });

  pages.get('/conversations/:cid', async (c) => {
    const cid = c.req.param('cid');
    const detail = await loadConversation(store, cid);
    if (!detail) {
      const message = `No conversation with id ${cid}.`;
      return c.html(
        <NotFoundPage section="conversations" title="Conversation" message={message} back="/admin/conversations" />,
        404,
      );
    }
    return c.html(<ConversationPage detail={detail} />);
  });

  pages.get('/callbacks', async (c) => {
    const query = parseQuery(callbackQuerySchema, c.req.query());
    return c.html(<CallbacksPage list={await loadCallbacks(store, query)} status={query.status} limit={query.limit} />);
  });

  pages.get('/batch', async (c) => {
    const { limit } = parseQuery(batchRunsQuerySchema, c.req.query());
    return c.html(<BatchRunsPage runs={await listBatchRuns(store, limit)} />);
  });

  pages.get('/batch/:runtimeid', async (c) => {
    const runtimeid = c.req.param('runtimeid');
    const run = await readBatchRun(store, runtimeid);
    if (!run) {
      const message = `No batch run ${runtimeid}: no rounds carry this runtimeid and no report was uploaded for it.`;
      return c.html(<NotFoundPage section="batch" title="Batch test" message={message} back="/admin/batch" />, 404);
    }
    return c.html(<BatchRunPage run={run} />);
  });

  return pages;
}
