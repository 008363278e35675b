import type { BatchReport } from '../../src/batch/batch-report.js';
import type { Bridge } from './bridge.js';

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

/** A request to the bridge's admin console, with the admin token as Bearer unless `token` says otherwise. */
export function adminFetch(
  bridge: Bridge,
  path: string,
  init: RequestInit & { token?: string | null } = {},
): Promise<Response> {
  const { token = ADMIN_TOKEN, headers, ...rest } = init;
  return fetch(`${bridge.url}${path}`, {
    redirect: 'manual',
    ...rest,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(headers as Record<string, string>),
    },
  });
}

/** Logs in through the console's form, as a browser on its own pages does; the session cookie to send back. */
export async function logIn(bridge: Bridge): Promise<string> {
  const login = await adminFetch(bridge, '/admin/login', {
    token: null,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: bridge.url },
    body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
  });
  if (login.status !== 303) throw new Error(`logging in: HTTP ${login.status}`);
  return (login.headers.get('set-cookie') ?? '').split(';')[0]!;
}

export async function adminJson<T = Record<string, unknown>>(bridge: Bridge, path: string): Promise<T> {
  const response = await adminFetch(bridge, path);
  if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A scored report as `sobot-bridge batch` uploads it: two questions, one failing. */
export function batchReport(overrides: Partial<BatchReport> = {}): BatchReport {
  const result = {
    expectedAnswer: 'Three to five business days.',
    cid: 'cli-cid-1',
    answerType: 'QA_DIRECT',
    success: true,
    callbackReceived: null,
  };
  return {
    version: 1,
    runtimeid: 'cli-20260101-0001',
    targetUrl: 'http://127.0.0.1:8787/sobot/agent',
    mode: 'json',
    concurrency: 4,
    startedAt: '2026-01-01T10:00:00.000Z',
    finishedAt: '2026-01-01T10:00:12.500Z',
    summary: {
      total: 2,
      passed: 1,
      failed: 1,
      passRate: 0.5,
      latency: { p50: 420, p90: 900, p95: 900, p99: 900, max: 900, mean: 660 },
      answerTypes: { QA_DIRECT: 1, UNKNOWN: 1 },
      callbacks: { expected: 0, received: 0 },
    },
    results: [
      {
        ...result,
        questionid: 'q-1',
        question: 'How long does shipping take?',
        roundid: 'cli-r-1',
        answer: 'Orders arrive in 3–5 business days.',
        latencyMs: 420,
        passed: true,
        failures: [],
      },
      {
        ...result,
        questionid: 'q-2',
        question: 'Do you ship to Mars?',
        roundid: 'cli-r-2',
        answer: "Sorry, I can't answer that right now.",
        answerType: 'UNKNOWN',
        success: false,
        latencyMs: 900,
        passed: false,
        failures: ['answer type UNKNOWN, expected QA_DIRECT', 'missing keyword "Mars"'],
      },
    ],
    ...overrides,
  };
}
