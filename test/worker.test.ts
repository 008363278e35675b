import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { knowledgeAsSql } from '../src/knowledge/export-knowledge-sql.js';
import { readKnowledgeDirectory } from '../src/knowledge/read-knowledge-directory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeSchema } from '../src/sobot/schemas/response.js';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/fake-openai.js';
import { sobotEnv, startFakeSobot, type FakeSobot } from './fakes/fake-sobot.js';
import { ADMIN_TOKEN, batchReport } from './helpers/admin.js';
import { parseSse, round } from './helpers/bridge.js';
import { waitFor } from './helpers/wait-for.js';
import { startWorker, type WorkerBridge } from './helpers/worker-bridge.js';

const docRequest = JSON.parse(
  readFileSync(new URL('./fixtures/sobot-doc-request.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** The Worker build in workerd (wrangler dev) with a local D1, against the same loopback fakes. */
let llm: FakeOpenAI;
let sobot: FakeSobot;
let worker: WorkerBridge;

beforeAll(async () => {
  [llm, sobot] = await Promise.all([startFakeOpenAI(), startFakeSobot()]);
  // The shipped sample knowledge, loaded into D1 the way the README says: export-sql, then d1 execute.
  const knowledgeSql = join(mkdtempSync(join(tmpdir(), 'bridge-worker-knowledge-')), 'knowledge.sql');
  writeFileSync(knowledgeSql, knowledgeAsSql(await readKnowledgeDirectory('knowledge'), Date.now()).sql);
  const oldRowsSql = join(dirname(knowledgeSql), 'old-rows.sql');
  writeFileSync(oldRowsSql, oldRows(Date.now() - 40 * 86_400_000));
  worker = await startWorker(
    {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: llm.baseUrl,
      OPENAI_MAX_RETRIES: '0',
      ...sobotEnv(sobot),
      CALLBACK_RETRY_BASE_MS: '1',
      CALLBACK_RETRY_MAX_MS: '1',
      LOG_LEVEL: 'info',
      LOG_REDACT_VISITOR_TEXT: 'true',
      ADMIN_TOKEN,
      // A Node setting, which a Worker does without: named in a warning, not a failed start.
      SHUTDOWN_GRACE_MS: '5000',
    },
    { sqlFiles: [knowledgeSql, oldRowsSql] },
  );
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await Promise.all([llm?.close(), sobot?.close()]);
});

/** Rows last written at `at`, past the default retention (30 days): two rounds, one with a delivered callback. */
function oldRows(at: number): string {
  return `
insert into rounds (id, cid, roundid, question, input_type, msg_type, status, created_at, updated_at)
  values (900001, 'retention-old', 'old-1', 'Hi', 'INPUT', 'TEXT', 'succeeded', ${at}, ${at}),
         (900002, 'retention-old-batch', 'old-2', 'Hi', 'INPUT', 'TEXT', 'succeeded', ${at}, ${at});
insert into callbacks (round_id, cid, roundid, kind, payload, status, next_attempt_at, created_at, queued_at, updated_at)
  values (900002, 'retention-old-batch', 'old-2', 'batch', '{}', 'delivered', ${at}, ${at}, ${at}, ${at});
insert into conversations (cid, created_at, updated_at)
  values ('retention-old', ${at}, ${at}), ('retention-old-batch', ${at}, ${at});
insert into workflow_sessions (cid, workflow_id, node_id, variables, started_at, updated_at, expires_at)
  values ('retention-old', 'feedback', 'ask-note', '{}', ${at}, ${at}, ${at});
insert into peer_sessions (cid, peer, updated_at) values ('retention-old', 'tate', ${at});
`;
}

// The sample knowledge is loaded, so model rounds ask something it does not cover.
const modelRound = (fields: Record<string, unknown> = {}) => round({ question: 'Write a haiku about rain', ...fields });

const post = (body: unknown, init: { signal?: AbortSignal } = {}) =>
  fetch(`${worker.url}/sobot/agent`, { method: 'POST', body: JSON.stringify(body), signal: init.signal });

describe('the Worker build, in workerd on D1', () => {
  it("answers the document's example request (and posts its batch-test callback)", async () => {
    llm.script({ kind: 'stream', chunks: ['Hello ', 'from the Worker'] });
    const response = await post(docRequest);
    expect(response.status).toBe(200);
    const envelope = envelopeSchema.parse(await response.json());
    expect(envelope.data?.map((item) => [item.robot_answer_message_type, item.llm_answer])).toEqual([
      ['MESSAGE', 'Hello from the Worker'],
      ['THIRD_ANSWER_INFO', ''],
    ]);
    expect(envelope.data?.[1]).toMatchObject({ roundid: 'roundid_5da5d19a0f2d', runtimeid: 'runtimeid_82de6047a003' });
    await waitFor(
      () => sobot.accepted.some((callback) => callback.kind === 'batch'),
      'the batch-test callback',
      15_000,
    );
  });

  it('answers from the knowledge base loaded into D1, through FTS5 there', async () => {
    const calls = llm.calls.length;
    const response = await post(round({ question: '退款什么时候能收到？' }));
    const envelope = envelopeSchema.parse(await response.json());
    expect(envelope.data?.[1]).toMatchObject({ answer_type: 'QA_DIRECT', lan: 'zh' });
    expect(envelope.data?.[0]?.llm_answer).toMatch(/工作日/);
    expect(llm.calls.length).toBe(calls);
  });

  it('streams the event sequence as SSE', async () => {
    llm.script({ kind: 'stream', chunks: ['one ', 'two'] });
    const response = await post(modelRound({ req_stream: true }));
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const items = parseSse(await response.text());
    expect(items.map((item) => [item.robot_answer_message_type, item.llm_answer, item.message_end])).toEqual([
      ['MESSAGE', 'one ', false],
      ['MESSAGE', 'two', false],
      ['MESSAGE', '', true],
      ['THIRD_ANSWER_INFO', '', true],
    ]);
  });

  it('replays a repeated roundid from D1 without calling the model', async () => {
    const body = modelRound();
    llm.script({ kind: 'stream', chunks: ['once'] });
    const first = await (await post(body)).json();
    const calls = llm.calls.length;
    const again = await (await post({ ...body, req_stream: true })).text();
    expect(llm.calls.length).toBe(calls);
    expect(first).toMatchObject({ data: [{ llm_answer: 'once' }, {}] });
    expect(parseSse(again).map((item) => item.llm_answer)).toEqual(['once', '']);
  });

  it('acknowledges a copilot round at once and delivers its answer by callback, with a token', async () => {
    llm.script({ kind: 'stream', chunks: ['Suggested reply'], firstTokenDelayMs: 200 });
    const body = modelRound({ copilot: true });
    const ack = await (await post(body)).json();
    expect(ack).toMatchObject({ ret_code: '000000', data: [] });
    await waitFor(
      () =>
        sobot.accepted.some(
          (callback) => callback.kind === 'copilot' && JSON.stringify(callback.body).includes(String(body.roundid)),
        ),
      'the copilot callback',
      15_000,
    );
    const callback = sobot.accepted.find((accepted) => accepted.kind === 'copilot')!;
    expect(callback.body).toMatchObject({
      algorithm_resp_vos: [{ llm_answer: 'Suggested reply' }, { robot_answer_message_type: 'THIRD_ANSWER_INFO' }],
    });
    expect(callback.token).toMatch(/^token-\d+$/);
  });

  it('leaves a failed delivery in the outbox, and the scheduled sweep delivers it', async () => {
    sobot.failNext(1, { kind: 'http', status: 503 });
    const body = modelRound({ runtimeid: 'sweep-run', questionid: 'q1' });
    await post(body);
    // Sobot seeing the attempt is not enough: until the Worker records the failure, the callback is
    // leased and a sweep rightly skips it. The warning is logged once the retry is scheduled.
    const failureRecorded = () =>
      worker
        .output()
        .split('\n')
        .some((line) => line.includes('"callback attempt failed"') && line.includes(String(body.roundid)));
    await waitFor(failureRecorded, 'the first, failing attempt to be recorded', 15_000);
    const accepted = () => sobot.accepted.some((callback) => JSON.stringify(callback.body).includes('sweep-run'));
    expect(accepted()).toBe(false);
    await worker.runScheduled();
    await waitFor(accepted, 'delivery by the scheduled sweep', 15_000);
  });

  it('deletes what is past RETENTION_DAYS from D1 on the cron, and keeps recent rounds', async () => {
    llm.script({ kind: 'stream', chunks: ['Recent answer'] });
    const recent = modelRound();
    await post(recent);
    await worker.runScheduled();
    const prunedLine = () =>
      worker
        .output()
        .split('\n')
        .find((line) => line.includes('"pruned rows past retention"'));
    await waitFor(() => prunedLine() !== undefined, 'the pruned line', 15_000);
    expect(JSON.parse(prunedLine()!)).toMatchObject({
      retentionDays: 30,
      rounds: 2,
      callbacks: 1,
      conversations: 2,
      workflow_sessions: 1,
      peer_sessions: 1,
    });
    // The recent round is still there: a repeat replays it without asking the model.
    const calls = llm.calls.length;
    const replay = envelopeSchema.parse(await (await post(recent)).json());
    expect(replay.data?.[0]?.llm_answer).toBe('Recent answer');
    expect(llm.calls).toHaveLength(calls);
  });

  it("answers the admin console's API from D1 (window functions, a recursive CTE, an upsert)", async () => {
    const admin = (path: string, init: RequestInit = {}) =>
      fetch(`${worker.url}/admin/api/${path}`, {
        ...init,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      });
    expect((await fetch(`${worker.url}/admin/api/health`)).status).toBe(401);
    const health = (await (await admin('health?range=day')).json()) as {
      points: unknown[];
      totals: { rounds: number; p50Ms: number | null };
    };
    expect(health.points).toHaveLength(96);
    expect(health.totals.rounds).toBeGreaterThan(0);
    expect(health.totals.p50Ms).toEqual(expect.any(Number));
    const { conversations } = (await (await admin('conversations')).json()) as {
      conversations: Array<{ lastQuestion: string | null }>;
    };
    expect(conversations.length).toBeGreaterThan(0);
    const upload = () => admin('batch-reports', { method: 'POST', body: JSON.stringify(batchReport()) });
    const first = await upload();
    expect(first.status).toBe(201);
    expect(await (await upload()).json()).toEqual(await first.json());
    const { runs } = (await (await admin('batch-runs')).json()) as { runs: Array<{ runtimeid: string }> };
    expect(runs.map((run) => run.runtimeid)).toEqual(
      expect.arrayContaining(['runtimeid_82de6047a003', 'cli-20260101-0001']),
    );
    // The pages are server-rendered JSX, bundled for workerd too.
    const page = await fetch(`${worker.url}/admin/batch/runtimeid_82de6047a003`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Batch test</h1>');
  });

  it("gives a later round its conversation's earlier turns, read from D1 with its claim", async () => {
    const cid = `worker-context-${Date.now()}`;
    llm.script({ kind: 'stream', chunks: ['First answer'] });
    expect((await post(round({ ai_agent_cid: cid, question: 'first question' }))).status).toBe(200);
    llm.script({ kind: 'stream', chunks: ['Second answer'] });
    const index = llm.calls.length;
    const second = envelopeSchema.parse(
      await (await post(round({ ai_agent_cid: cid, question: 'second question' }))).json(),
    );
    expect(second.data?.[0]?.llm_answer).toBe('Second answer');
    expect(
      llm.calls[index]?.body.messages.filter((message) => message.role !== 'system').map((message) => message.content),
    ).toEqual(['first question', 'First answer', 'second question']);
  });

  it("answers one visitor's quick messages in order, each with the earlier ones as context", async () => {
    const cid = `worker-order-${Date.now()}`;
    const questions = ['first question', 'second question', 'third question'];
    llm.respondWith((body) => ({
      kind: 'stream',
      chunks: ['Answer to ', String(body.messages.at(-1)?.content)],
      firstTokenDelayMs: 300,
    }));
    const finished: string[] = [];
    const replies: Array<Promise<void>> = [];
    for (const [index, question] of questions.entries()) {
      const body = round({ ai_agent_cid: cid, question, req_stream: index === 1 });
      replies.push(
        post(body).then(async (response) => {
          expect(response.status).toBe(200);
          // In SSE the two chunks are two frames.
          expect(await response.text()).toContain(index === 1 ? `"llm_answer":"${question}"` : `Answer to ${question}`);
          finished.push(question);
        }),
      );
      // Each sent while the one before is still being answered.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await Promise.all(replies);
    llm.respondWith(undefined);
    expect(finished).toEqual(questions);
    const third = llm.calls.find((call) => call.body.messages.at(-1)?.content === 'third question');
    expect(
      third?.body.messages.filter((message) => message.role !== 'system').map((message) => message.content),
    ).toEqual([
      'first question',
      'Answer to first question',
      'second question',
      'Answer to second question',
      'third question',
    ]);
  });

  it('logs each round as one JSON line with its request id, redacted, and serves the database gauges', async () => {
    llm.script({ kind: 'stream', chunks: ['Logged ', 'answer'] });
    const body = modelRound();
    const response = await fetch(`${worker.url}/sobot/agent`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'X-Request-Id': 'worker-req-7' },
    });
    expect(response.headers.get('x-request-id')).toBe('worker-req-7');
    await response.json();
    const finishedLine = () =>
      worker
        .output()
        .split('\n')
        .find((line) => line.includes('"round finished"') && line.includes('worker-req-7'));
    await waitFor(() => finishedLine() !== undefined, 'the round finished line', 10_000);
    const ignoredLine = worker
      .output()
      .split('\n')
      .find((line) => line.includes('"settings ignored on Workers"'));
    expect(JSON.parse(ignoredLine ?? '{}')).toMatchObject({ level: 'warn', settings: ['SHUTDOWN_GRACE_MS'] });
    expect(JSON.parse(finishedLine()!)).toMatchObject({
      level: 'info',
      requestId: 'worker-req-7',
      roundid: body.roundid,
      mode: 'json',
      source: 'llm',
      status: 'succeeded',
      question: '[redacted]',
      answer: '[redacted]',
    });
    expect(worker.output()).not.toContain('Logged answer');

    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(metrics).toMatch(/^sobot_bridge_outbox_callbacks\{status="pending"\} \d+$/m);
    expect(metrics).toMatch(/^sobot_bridge_rounds_running \d+$/m);
    // Per-isolate counters would mislead, so the Worker keeps none.
    expect(metrics).not.toContain('sobot_bridge_rounds_total');
  });

  /** Posts a streamed round and hangs up after its first event; resolves once its model call has ended. */
  async function hangUpAfterFirstEvent(body: Record<string, unknown>) {
    const index = llm.calls.length;
    const controller = new AbortController();
    const response = await post(body, { signal: controller.signal });
    await response.body!.getReader().read();
    controller.abort();
    await llm.callEnded(index);
    return llm.calls[index];
  }

  it('aborts the model call when the client disconnects mid-stream', async () => {
    llm.script({ kind: 'stream', chunks: ['a ', 'b ', 'c ', 'd'], intervalMs: 500 });
    const call = await hangUpAfterFirstEvent(modelRound({ req_stream: true }));
    expect(call?.clientAborted).toBe(true);
  });

  it('stores a streamed round whose caller hung up as aborted, and answers its conversation again', async () => {
    const cid = `worker-hangup-${Date.now()}`;
    llm.script({ kind: 'stream', chunks: ['a ', 'b ', 'c ', 'd'], intervalMs: 700 });
    const first = round({ ai_agent_cid: cid, question: 'first question', req_stream: true });
    expect((await hangUpAfterFirstEvent(first))?.clientAborted).toBe(true);
    await waitFor(
      async () => (await roundStatus(cid, first.roundid)) === 'aborted',
      'the round stored aborted',
      10_000,
    );

    // The conversation is free: its next message is answered, not queued behind the dead one for good.
    llm.script({ kind: 'stream', chunks: ['Next answer'] });
    const next = await post(round({ ai_agent_cid: cid, question: 'second question' }), {
      signal: AbortSignal.timeout(10_000),
    });
    expect(envelopeSchema.parse(await next.json()).data?.[0]?.llm_answer).toBe('Next answer');
    await waitFor(async () => (await inflightRounds()) === 0, 'no round left in flight', 10_000);
  });

  it('finishes a streamed batch round whose caller hung up, and reports it by callback', async () => {
    llm.script({ kind: 'stream', chunks: ['batch ', 'answer ', 'to the end'], intervalMs: 700 });
    const body = modelRound({ req_stream: true, runtimeid: 'hangup-run', questionid: 'q-hangup' });
    expect((await hangUpAfterFirstEvent(body))?.clientAborted).toBe(false);
    await waitFor(
      () => sobot.accepted.some((callback) => JSON.stringify(callback.body).includes('hangup-run')),
      'the batch callback',
      15_000,
    );
    const callback = sobot.accepted.find((accepted) => JSON.stringify(accepted.body).includes('hangup-run'))!;
    expect(callback.body).toMatchObject({ llm_answer: 'batch answer to the end', success: true });
  });
});

describe('the Worker build with settings that do not read', () => {
  let unconfigured: WorkerBridge;
  beforeAll(async () => {
    unconfigured = await startWorker(
      {
        OPENAI_API_KEY: 'sk-secret-4711',
        LLM_TOOLS: 'ture',
        // The bundled bridge.yaml reads it as its order-lookup interface's URL.
        ORDER_API_URL: 'not-a-url-secret-4711',
      },
      { ready: (health) => health.status === 500 },
    );
  }, 120_000);
  afterAll(async () => {
    await unconfigured?.stop();
  });

  it('answers every request in the envelope, naming each bad setting, logged as one line without a stack', async () => {
    const requests: Array<[string, RequestInit]> = [
      ['/sobot/agent', { method: 'POST', body: JSON.stringify(round()) }],
      ['/healthz', {}],
      ['/admin/api/health', {}],
    ];
    for (const [index, [path, init]] of requests.entries()) {
      const id = `unconfigured-${index}`;
      const response = await fetch(`${unconfigured.url}${path}`, { ...init, headers: { 'x-request-id': id } });
      expect(response.status, path).toBe(500);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(response.headers.get('x-request-id')).toBe(id);
      const text = await response.text();
      const envelope = envelopeSchema.parse(JSON.parse(text));
      expect(envelope).toMatchObject({ ret_code: '500000', retCode: '500000' });
      expect(envelope.ret_msg).toContain('LLM_TOOLS: must be true or false');
      expect(envelope.ret_msg).toMatch(/bridge\.yaml:\d+: interfaces\.order-lookup\.url: must be an http\(s\) URL/);
      // Names, never values: the settings hold secrets.
      expect(text).not.toContain('4711');
      expect(text).not.toMatch(/ConfigError|\bat \S+ \(/);
      const lines = () =>
        unconfigured
          .output()
          .split('\n')
          .filter((line) => line.includes(`"requestId":"${id}"`));
      await waitFor(() => lines().length > 0, `the log line of ${path}`, 10_000);
      expect(lines()).toHaveLength(1);
      const logged = JSON.parse(lines()[0]!) as Record<string, unknown>;
      expect(logged).toMatchObject({ level: 'error', path, problems: expect.arrayContaining([expect.any(String)]) });
      expect(logged).not.toHaveProperty('stack');
      expect(lines()[0]).not.toContain('4711');
    }
    await unconfigured.runScheduled();
    await waitFor(
      () => unconfigured.output().includes('scheduled sweep skipped'),
      'the scheduled sweep to say why it did nothing',
      10_000,
    );
  });
});

async function roundStatus(cid: string, roundid: unknown): Promise<string | undefined> {
  const response = await fetch(`${worker.url}/admin/api/conversations/${encodeURIComponent(cid)}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  if (response.status !== 200) return undefined;
  const { rounds } = (await response.json()) as { rounds: Array<{ roundid: string; status: string }> };
  return rounds.find((stored) => stored.roundid === roundid)?.status;
}

async function inflightRounds(): Promise<number> {
  return ((await (await fetch(`${worker.url}/healthz`)).json()) as { inflightRounds: number }).inflightRounds;
}
