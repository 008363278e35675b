import { describe, expect, it } from 'vitest';
import { envelopeSchema } from '../src/sobot/schemas/response.js';
import { startSilentServer } from './fakes/silent-server.js';
import { ADMIN_TOKEN, adminFetch, adminJson, batchReport } from './helpers/admin.js';
import { round, type Bridge } from './helpers/bridge.js';
import { useFakeSobot } from './helpers/sobot-harness.js';
import { useTestHarness } from './helpers/test-harness.js';
import { waitFor } from './helpers/wait-for.js';

const harness = useTestHarness();
const fakeSobot = useFakeSobot(harness);
const adminEnv = (extra: Record<string, string> = {}) =>
  fakeSobot.env({ ADMIN_TOKEN, OPENAI_MAX_RETRIES: '0', FALLBACK_TEXT: 'Sorry, no answer.', ...extra });

type CallbackList = {
  counts: Record<string, number>;
  callbacks: Array<{
    id: number;
    status: string;
    attempts: number;
    lastError: string | null;
    lastHttpStatus: number | null;
  }>;
};
const callbacks = (bridge: Bridge, status = '') =>
  adminJson<CallbackList>(bridge, `/admin/api/callbacks${status ? `?status=${status}` : ''}`);
const post = (bridge: Bridge, path: string, body?: unknown, token?: string | null) =>
  adminFetch(bridge, path, {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? '{}' : typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('callbacks', () => {
  it('shows a callback Sobot refused as dead, with why, and retrying it delivers it', async () => {
    const bridge = await harness.start({ env: adminEnv() });
    fakeSobot.sobot.failNext(1, { kind: 'http', status: 400 });
    await bridge.ask(round({ runtimeid: 'run-dead', questionid: 'q-1' }));
    await waitFor(async () => (await callbacks(bridge, 'dead')).callbacks.length === 1, 'the dead callback');

    const dead = await callbacks(bridge, 'dead');
    expect(dead.counts).toEqual({ pending: 0, delivered: 0, dead: 1 });
    const [callback] = dead.callbacks;
    expect(callback).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastHttpStatus: 400,
      lastError: expect.stringContaining('400'),
    });

    const retried = await post(bridge, `/admin/api/callbacks/${callback!.id}/retry`);
    expect(retried.status).toBe(200);
    expect(await retried.json()).toEqual({ id: callback!.id, status: 'pending' });
    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'the retried callback, delivered');
    await waitFor(async () => (await callbacks(bridge)).counts.delivered === 1, 'the callback marked delivered');

    const again = await post(bridge, `/admin/api/callbacks/${callback!.id}/retry`);
    expect({ status: again.status, body: envelopeSchema.parse(await again.json()) }).toMatchObject({
      status: 409,
      body: { ret_msg: `callback ${callback!.id} was already delivered` },
    });
    expect((await post(bridge, '/admin/api/callbacks/9999/retry')).status).toBe(404);
    expect((await post(bridge, '/admin/api/callbacks/abc/retry')).status).toBe(400);
  });

  it('does not requeue a callback while it is being sent: the attempt under way is left to finish', async () => {
    const silent = await startSilentServer();
    try {
      const bridge = await harness.start({
        env: adminEnv({ SOBOT_BATCH_CALLBACK_URL: `${silent.baseUrl}/callback`, CALLBACK_TIMEOUT_MS: '20000' }),
      });
      await bridge.ask(round({ runtimeid: 'run-held', questionid: 'q-1' }));
      await waitFor(() => silent.calls.length === 1, 'the callback on its way, unanswered');
      const [callback] = (await callbacks(bridge, 'pending')).callbacks;
      const retried = await post(bridge, `/admin/api/callbacks/${callback!.id}/retry`);
      expect({ status: retried.status, body: envelopeSchema.parse(await retried.json()) }).toMatchObject({
        status: 409,
        body: {
          ret_msg: expect.stringMatching(
            new RegExp(
              `^callback ${callback!.id} is held by a delivery attempt until \\d{4}-\\d\\d-\\d\\dT.*; retry it after that$`,
            ),
          ),
        },
      });
      expect((await callbacks(bridge, 'pending')).callbacks[0]).toMatchObject({ id: callback!.id, attempts: 1 });
    } finally {
      await silent.close();
    }
  });

  it('retries every dead callback at once', async () => {
    const bridge = await harness.start({ env: adminEnv() });
    fakeSobot.sobot.failNext(2, { kind: 'http', status: 400 });
    await bridge.ask(round({ runtimeid: 'run-2', questionid: 'q-1' }));
    await bridge.ask(round({ runtimeid: 'run-2', questionid: 'q-2' }));
    await waitFor(async () => (await callbacks(bridge)).counts.dead === 2, 'two dead callbacks');
    const response = await post(bridge, '/admin/api/callbacks/retry-dead');
    expect(await response.json()).toEqual({ requeued: 2 });
    await waitFor(async () => (await callbacks(bridge)).counts.delivered === 2, 'both delivered');
  });
});

describe('batch tests', () => {
  it('stores the CLI report, replacing it on a re-upload, and refuses a malformed one', async () => {
    const bridge = await harness.start({ env: adminEnv() });
    const created = await post(bridge, '/admin/api/batch-reports', batchReport());
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    expect(id).toBeGreaterThan(0);

    const replaced = await post(bridge, '/admin/api/batch-reports', batchReport({ concurrency: 8 }));
    expect(await replaced.json()).toEqual({ id });
    const run = await adminJson<Record<string, any>>(bridge, '/admin/api/batch-runs/cli-20260101-0001');
    expect(run).toMatchObject({ kind: 'report', origin: 'cli', report: { concurrency: 8 } });
    expect(
      run.failing.map((result: { questionid: string; failures: string[] }) => [result.questionid, result.failures]),
    ).toEqual([['q-2', ['answer type UNKNOWN, expected QA_DIRECT', 'missing keyword "Mars"']]]);

    const bad = await post(bridge, '/admin/api/batch-reports', { ...batchReport(), version: 2, results: 'none' });
    expect(bad.status).toBe(400);
    const envelope = envelopeSchema.parse(await bad.json());
    expect(envelope.ret_code).toBe('400000');
    expect(envelope.ret_msg).toMatch(/version/);
    expect(envelope.ret_msg).toMatch(/results/);
    expect((await post(bridge, '/admin/api/batch-reports', '{"version":')).status).toBe(400);
    expect((await post(bridge, '/admin/api/batch-reports', batchReport({ startedAt: 'yesterday' }))).status).toBe(400);
    expect((await post(bridge, '/admin/api/batch-reports', batchReport(), null)).status).toBe(401);
    const huge = await post(bridge, '/admin/api/batch-reports', JSON.stringify(batchReport()).padEnd(2_000_000));
    expect({ status: huge.status, body: envelopeSchema.parse(await huge.json()) }).toMatchObject({
      status: 413,
      body: { ret_code: '413000' },
    });
  });

  it("groups Sobot's batch rounds by runtimeid: answered rate and the questions without a real answer", async () => {
    const bridge = await harness.start({ env: adminEnv() });
    harness.llm.script({ kind: 'stream', chunks: ['Ships in two days.'] }, { kind: 'status', status: 500 });
    await bridge.ask(round({ runtimeid: 'sobot-run-1', questionid: 'q-1', question: 'Shipping?' }));
    await bridge.ask(round({ runtimeid: 'sobot-run-1', questionid: 'q-2', question: 'Mars?' }));
    await post(bridge, '/admin/api/batch-reports', batchReport());

    const { runs } = await adminJson<{ runs: Array<Record<string, unknown>> }>(bridge, '/admin/api/batch-runs');
    expect(runs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          runtimeid: 'sobot-run-1',
          origin: 'sobot',
          questions: 2,
          rate: 0.5,
          rateKind: 'answered',
          failedRounds: 1,
        }),
        expect.objectContaining({
          runtimeid: 'cli-20260101-0001',
          origin: 'cli',
          questions: 2,
          rate: 0.5,
          rateKind: 'passed',
        }),
      ]),
    );
    const run = await adminJson<Record<string, any>>(bridge, '/admin/api/batch-runs/sobot-run-1');
    expect(run).toMatchObject({ kind: 'rounds', answered: 1 });
    expect(run.unanswered.map((r: { questionid: string; status: string }) => [r.questionid, r.status])).toEqual([
      ['q-2', 'failed'],
    ]);
    expect(run.latenciesMs).toHaveLength(2);
    expect((await adminFetch(bridge, '/admin/api/batch-runs/nothing')).status).toBe(404);
  });
});

describe('health', () => {
  it('counts rounds, failures and the outbox over the last hour and day', async () => {
    const bridge = await harness.start({ env: adminEnv() });
    harness.llm.script(
      { kind: 'stream', chunks: ['ok'] },
      { kind: 'stream', chunks: ['ok'] },
      { kind: 'status', status: 500 },
    );
    await bridge.ask(round());
    await bridge.ask(round());
    await bridge.ask(round());
    type Health = {
      totals: { rounds: number; failed: number; errorRate: number; p50Ms: number | null; p95Ms: number | null };
      points: Array<{ rounds: number; outboxDepth: number }>;
      outbox: Record<string, number>;
    };
    for (const [range, buckets] of [
      ['hour', 60],
      ['day', 96],
    ] as const) {
      const health = await adminJson<Health>(bridge, `/admin/api/health?range=${range}`);
      expect(health.points).toHaveLength(buckets);
      expect(health.totals).toMatchObject({ rounds: 3, failed: 1, errorRate: 1 / 3 });
      expect(health.totals.p50Ms).toEqual(expect.any(Number));
      expect(health.totals.p95Ms).toBeGreaterThanOrEqual(health.totals.p50Ms!);
      expect(health.points.reduce((sum, point) => sum + point.rounds, 0)).toBe(3);
    }
    expect((await adminFetch(bridge, '/admin/api/health?range=week')).status).toBe(400);
  });
});
