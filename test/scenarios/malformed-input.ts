import fc from 'fast-check';
import { startFakeEnterprise } from '../fakes/fake-enterprise.js';
import { startFakeOpenAI } from '../fakes/fake-openai.js';
import { startBridge } from '../helpers/bridge.js';
import { captureLogs, type CapturedLog } from '../helpers/log-capture.js';
import { waitFor } from '../helpers/wait-for.js';
import { checkReply } from './check-reply.js';
import { fuzzRequest, type FuzzRequest } from './request-arbitraries.js';
import { watchCrashes } from './watch-crashes.js';

export interface FuzzSettings {
  runs: number;
  seed: number;
}

export interface FuzzReport {
  cases: number;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
  serverErrors: number;
  /** Uncaught exceptions and unhandled rejections while the fuzz ran. */
  crashes: number;
  /** fast-check's report of the first case that broke the protocol (shrunk), if any. */
  failure: string | undefined;
  /** What the bridge logged at error level: unexpected errors it caught. */
  errorLogs: CapturedLog[];
  healthyAfter: boolean;
  /** The slowest reply, for the summary (never asserted: tests do not time). */
  slowest: { ms: number; kind: string };
}

const root = new URL('../..', import.meta.url).pathname;

/**
 * Throws `runs` generated bodies (fixed seed) at a bridge on loopback wired as in production: the sample
 * knowledge base and workflows, a model, enterprise interfaces. Every reply must be sound (checkReply).
 */
export async function fuzzWebhook(settings: FuzzSettings): Promise<FuzzReport> {
  const llm = await startFakeOpenAI();
  const enterprise = await startFakeEnterprise();
  const logs = captureLogs();
  const bridge = await startBridge({
    logger: logs,
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: llm.baseUrl,
      OPENAI_MAX_RETRIES: '0',
      KNOWLEDGE_DIR: `${root}knowledge`,
      KNOWLEDGE_WATCH: 'false',
      BRIDGE_CONFIG: `${root}bridge.yaml`,
      ORDER_API_URL: `${enterprise.baseUrl}/orders/lookup`,
      PRODUCT_API_URL: `${enterprise.baseUrl}/products/search`,
      DUPLICATE_WAIT_MS: '2000',
    },
  });
  const crashes = watchCrashes();
  const report: FuzzReport = {
    cases: 0,
    byKind: {},
    byStatus: {},
    serverErrors: 0,
    crashes: 0,
    failure: undefined,
    errorLogs: [],
    healthyAfter: false,
    slowest: { ms: 0, kind: '' },
  };
  try {
    const property = fc.asyncProperty(fuzzRequest, async (request) => {
      report.cases++;
      report.byKind[request.kind] = (report.byKind[request.kind] ?? 0) + 1;
      const started = performance.now();
      const reply = await checkReply(await send(bridge.url, request));
      const elapsedMs = performance.now() - started;
      if (elapsedMs > report.slowest.ms) report.slowest = { ms: Math.round(elapsedMs), kind: request.kind };
      report.byStatus[reply.status] = (report.byStatus[reply.status] ?? 0) + 1;
      if (reply.status >= 500) report.serverErrors++;
      if (reply.problems.length > 0) throw new Error(reply.problems.join('\n'));
    });
    const details = await fc.check(property, { numRuns: settings.runs, seed: settings.seed });
    if (details.failed) report.failure = fc.defaultReportMessage(details);
    // Copilot rounds answer in the background; let them end before judging the logs.
    await waitFor(() => bridge.runtime.deps.inflight.size === 0, 'background rounds to end', 30_000);
    report.healthyAfter = (await fetch(`${bridge.url}/healthz`)).status === 200;
  } finally {
    report.crashes = crashes.stop();
    report.errorLogs = logs.entries.filter((entry) => entry.level === 'error');
    await bridge.stop();
    bridge.cleanup();
    await enterprise.close();
    await llm.close();
  }
  return report;
}

/** Raw bytes, so no content type is added unless the case names one; chunked cases carry no length. */
function send(url: string, request: FuzzRequest): Promise<Response> {
  const bytes = typeof request.body === 'string' ? new TextEncoder().encode(request.body) : request.body;
  const body = request.chunked
    ? new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.subarray(at, at + 64 * 1024));
          controller.close();
        },
      })
    : bytes;
  return fetch(`${url}/sobot/agent`, {
    method: 'POST',
    headers: request.contentType ? { 'content-type': request.contentType } : {},
    body,
    duplex: 'half',
  } as RequestInit);
}
