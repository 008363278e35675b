import BetterSqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { retryDelay } from '../src/callbacks/retry-delay.js';
import { sobotSign } from '../src/sobot/sobot-token-provider.js';
import { thirdAlgorithmResponseItemSchema } from '../src/sobot/schemas/response.js';
import { manualClock, round, storedRound, type Bridge } from './helpers/bridge.js';
import { startRedirectServer } from './fakes/redirect-server.js';
import { useFakeSobot } from './helpers/sobot-harness.js';
import { useTestHarness } from './helpers/test-harness.js';
import { waitFor } from './helpers/wait-for.js';

const harness = useTestHarness();
const fakeSobot = useFakeSobot(harness);
const sobotEnv = (extra: Record<string, string> = {}) =>
  fakeSobot.env({ OPENAI_MAX_RETRIES: '0', FALLBACK_TEXT: 'Sorry, no answer.', ...extra });

function callbackRows(bridge: Bridge): Array<Record<string, unknown>> {
  const sqlite = new BetterSqlite(bridge.databasePath, { readonly: true });
  try {
    return sqlite.prepare('select * from callbacks order by id').all() as Array<Record<string, unknown>>;
  } finally {
    sqlite.close();
  }
}

describe('rules', () => {
  it("signs token requests as the document's example does", () => {
    expect(sobotSign('1', '1569397773', '2')).toBe('258eec3118705112b2c53dc8043d4d34');
  });

  it('backs off exponentially with half of each step random, up to the cap', () => {
    const policy = { baseMs: 2000, maxMs: 600_000 };
    expect([1, 2, 3].map((attempt) => retryDelay(attempt, policy, () => 0))).toEqual([1000, 2000, 4000]);
    expect([1, 2, 3].map((attempt) => retryDelay(attempt, policy, () => 1))).toEqual([2000, 4000, 8000]);
    expect(retryDelay(30, policy, () => 0)).toBe(300_000);
    expect(retryDelay(30, policy, () => 1)).toBe(600_000);
  });
});

describe('copilot rounds', () => {
  it('are acknowledged at once, answered in the background, and called back with the items and a valid token', async () => {
    const bridge = await harness.start({ env: sobotEnv() });
    harness.llm.script({ kind: 'stream', chunks: ['Suggested ', 'reply'], firstTokenDelayMs: 400 });
    const body = round({ copilot: true, req_stream: true, companyid: 'co-9' });

    const response = await bridge.post(body);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({
      ret_code: '000000',
      ret_msg: 'success',
      retCode: '000000',
      retMsg: 'success',
      data: [],
    });
    // The model has not answered yet: the acknowledgement did not wait for it.
    expect(storedRound(bridge, body.roundid)?.status).toBe('running');
    expect(fakeSobot.sobot.accepted).toHaveLength(0);

    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'the copilot callback');
    const [callback] = fakeSobot.sobot.accepted;
    expect(callback?.kind).toBe('copilot');
    const items = (callback?.body as { algorithm_resp_vos: unknown[] }).algorithm_resp_vos.map((item) =>
      thirdAlgorithmResponseItemSchema.parse(item),
    );
    expect(items.map((item) => [item.robot_answer_message_type, item.llm_answer])).toEqual([
      ['MESSAGE', 'Suggested reply'],
      ['THIRD_ANSWER_INFO', ''],
    ]);
    expect(items[1]).toMatchObject({ roundid: body.roundid, companyid: 'co-9', answer_type: 'GENERAL', success: true });
    expect(fakeSobot.sobot.tokenRequests).toEqual([
      expect.objectContaining({ appid: fakeSobot.sobot.appid, ok: true }),
    ]);
    await waitFor(() => callbackRows(bridge)[0]?.status === 'delivered', 'the callback marked delivered');
    expect(callbackRows(bridge)).toEqual([
      expect.objectContaining({ kind: 'copilot', status: 'delivered', attempts: 1, last_http_status: 200 }),
    ]);
  });

  it('acknowledge a repeat without answering or calling back again', async () => {
    const bridge = await harness.start({ env: sobotEnv() });
    const body = round({ copilot: true });
    const before = harness.llm.calls.length;
    await bridge.post(body);
    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'the first callback');
    const repeat = await bridge.post(body);
    expect(await repeat.json()).toMatchObject({ ret_code: '000000', data: [] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(harness.llm.calls.length - before).toBe(1);
    expect(fakeSobot.sobot.accepted).toHaveLength(1);
  });

  it('give up waiting for a model slot after the first-token deadline, and report the fallback', async () => {
    const bridge = await harness.start({
      env: sobotEnv({ LLM_MAX_CONCURRENCY: '1', LLM_FIRST_TOKEN_TIMEOUT_MS: '300', LLM_TOTAL_TIMEOUT_MS: '5000' }),
    });
    // A visitor's long answer holds the only slot for about two seconds.
    harness.llm.script({ kind: 'stream', chunks: ['a', 'b', 'c', 'd', 'e'], intervalMs: 400 });
    const before = harness.llm.calls.length;
    const busy = bridge.ask(round({ question: 'tell me everything' }));
    await waitFor(() => harness.llm.calls.length === before + 1, 'the slot taken');

    const copilot = round({ copilot: true });
    await bridge.post(copilot);
    // A batch test's copilot question behind it waits as long as it takes: it is a test, not a suggestion.
    harness.llm.script({ kind: 'stream', chunks: ['Batch answer'] });
    const batch = round({ copilot: true, runtimeid: 'run-q', questionid: 'q-1' });
    await bridge.post(batch);

    await waitFor(() => fakeSobot.sobot.receipts(copilot.roundid as string, 'copilot') === 1, 'the copilot callback');
    expect(storedRound(bridge, copilot.roundid)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('no model slot free within 300 ms'),
    });
    const copilotCallback = fakeSobot.sobot.accepted.find((callback) => callback.kind === 'copilot');
    const copilotItems = (copilotCallback?.body as { algorithm_resp_vos: unknown[] }).algorithm_resp_vos;
    expect(copilotItems.at(-1)).toMatchObject({ success: false });
    expect((await busy).envelope.data?.[0]?.llm_answer).toBe('abcde');
    await waitFor(() => fakeSobot.sobot.receipts(batch.roundid as string, 'batch') === 1, 'the batch callback');
    expect(storedRound(bridge, batch.roundid)).toMatchObject({ status: 'succeeded', answer_text: 'Batch answer' });
  });

  it('acknowledge a repeat at once while the first is still being answered', async () => {
    const bridge = await harness.start({ env: sobotEnv() });
    harness.llm.script({ kind: 'stream', chunks: ['Late reply'], firstTokenDelayMs: 1000 });
    const body = round({ copilot: true });
    const before = harness.llm.calls.length;
    await bridge.post(body);
    // Sobot was told 000000 already: the repeat must not wait for the answer (up to DUPLICATE_WAIT_MS) to say so again.
    const repeat = await bridge.post(body);
    expect(await repeat.json()).toMatchObject({ ret_code: '000000', data: [] });
    expect(storedRound(bridge, body.roundid)?.status).toBe('running');
    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'the one callback');
    expect(harness.llm.calls.length - before).toBe(1);
  });
});

describe('batch-test rounds', () => {
  it('are called back as soon as they are stored, not at the next poll of the outbox', async () => {
    const bridge = await harness.start({ env: sobotEnv({ CALLBACK_POLL_INTERVAL_MS: '600000' }) });
    await bridge.ask(round({ runtimeid: 'r', questionid: '1' }));
    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'the callback, well before the next poll');
  });

  it('are answered normally and report the whole answer with success true', async () => {
    const bridge = await harness.start({ env: sobotEnv() });
    harness.llm.script({ kind: 'stream', chunks: ['Ships ', 'in ', '2 days.'] });
    const body = round({ runtimeid: 'run-1', questionid: 'q-1', companyid: 'co-1' });
    const { items } = await bridge.askStream(body);
    expect(items.at(-1)).toMatchObject({ robot_answer_message_type: 'THIRD_ANSWER_INFO', llm_answer: '' });

    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'the batch callback');
    expect(fakeSobot.sobot.accepted[0]).toMatchObject({ kind: 'batch' });
    expect(thirdAlgorithmResponseItemSchema.parse(fakeSobot.sobot.accepted[0]?.body)).toMatchObject({
      robot_answer_message_type: 'THIRD_ANSWER_INFO',
      runtimeid: 'run-1',
      questionid: 'q-1',
      roundid: body.roundid,
      companyid: 'co-1',
      llm_answer: 'Ships in 2 days.',
      answer_type: 'GENERAL',
      success: true,
    });
  });

  it('report success false with the fallback when the model fails', async () => {
    const bridge = await harness.start({ env: sobotEnv() });
    harness.llm.script({ kind: 'status', status: 500 });
    await bridge.ask(round({ runtimeid: 'run-2', questionid: 'q-2' }));
    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'the batch callback');
    expect(fakeSobot.sobot.accepted[0]?.body).toMatchObject({
      llm_answer: 'Sorry, no answer.',
      answer_type: 'UNKNOWN',
      success: false,
    });
  });

  it('finish and report even when the caller hangs up mid-stream', async () => {
    const bridge = await harness.start({ env: sobotEnv() });
    harness.llm.script({ kind: 'stream', chunks: ['one ', 'two ', 'three'], intervalMs: 150 });
    const controller = new AbortController();
    const response = await bridge.post(round({ runtimeid: 'run-3', req_stream: true }), { signal: controller.signal });
    await response.body!.getReader().read();
    controller.abort();
    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'the batch callback');
    expect(fakeSobot.sobot.accepted[0]?.body).toMatchObject({ llm_answer: 'one two three', success: true });
  });

  it('are never reported twice when Sobot repeats the round', async () => {
    const bridge = await harness.start({ env: sobotEnv() });
    const body = round({ runtimeid: 'run-4', questionid: 'q-4' });
    await bridge.ask(body);
    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'the batch callback');
    await bridge.ask(body);
    await bridge.askStream(body);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fakeSobot.sobot.accepted).toHaveLength(1);
    expect(callbackRows(bridge)).toHaveLength(1);
  });

  it('queue model calls beyond LLM_MAX_CONCURRENCY instead of failing them', async () => {
    const bridge = await harness.start({ env: sobotEnv({ LLM_MAX_CONCURRENCY: '2' }) });
    const questions = Array.from({ length: 6 }, (_, index) => round({ runtimeid: 'run-5', questionid: `q-${index}` }));
    harness.llm.script(...questions.map(() => ({ kind: 'stream' as const, chunks: ['ok'], firstTokenDelayMs: 100 })));
    const replies = await Promise.all(questions.map((body) => bridge.ask(body)));
    for (const reply of replies) expect(reply.envelope.data?.[1]).toMatchObject({ success: true });
    expect(harness.llm.maxConcurrent).toBe(2);
    await waitFor(() => fakeSobot.sobot.accepted.length === 6, 'six batch callbacks');
  });
});

describe('recovery', () => {
  it('leaves a round this process still answers, however long it waited, and answers one whose owner is gone', async () => {
    const clock = manualClock(Date.now());
    const bridge = await harness.start({ env: sobotEnv(), clock });
    harness.llm.script({ kind: 'stream', chunks: ['slow ', 'but ', 'sure'], intervalMs: 300 });
    const body = round({ runtimeid: 'run-slow', questionid: 'q-slow' });
    const reply = bridge.ask(body);
    await waitFor(() => storedRound(bridge, body.roundid)?.status === 'running', 'the round under way');
    // Past the staleness limit (LLM_TOTAL_TIMEOUT_MS + 30 s) on the clock the round was claimed by.
    clock.advance(120_000);
    expect(await bridge.runtime.recoverAbandonedRounds()).toBe(0);
    expect((await reply).envelope.data?.[0]?.llm_answer).toBe('slow but sure');
    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'the batch callback');
    expect(storedRound(bridge, body.roundid)).toMatchObject({ status: 'succeeded', attempt: 1 });

    // A round left running by a process that is gone is answered again, once.
    const orphan = round({ runtimeid: 'run-orphan', questionid: 'q-orphan' });
    const sqlite = new BetterSqlite(bridge.databasePath);
    sqlite
      .prepare(
        `insert into rounds (cid, roundid, question, input_type, msg_type, is_test, req_stream, copilot, runtimeid,
           questionid, request, status, created_at, updated_at)
         values (?, ?, 'Hi', 'INPUT', 'TEXT', 0, 0, 0, 'run-orphan', 'q-orphan', ?, 'running', ?, ?)`,
      )
      .run(orphan.ai_agent_cid, orphan.roundid, JSON.stringify(orphan), clock.now() - 200_000, clock.now() - 200_000);
    sqlite.close();
    // A stopping service takes nothing up: the round waits for the next start.
    expect(await bridge.runtime.recoverAbandonedRounds(AbortSignal.abort())).toBe(0);
    expect(storedRound(bridge, orphan.roundid)).toMatchObject({ status: 'running', attempt: 1 });
    expect(await bridge.runtime.recoverAbandonedRounds()).toBe(1);
    await waitFor(() => fakeSobot.sobot.accepted.length === 2, 'the callback of the orphaned round');
    expect(storedRound(bridge, orphan.roundid)).toMatchObject({ status: 'succeeded', attempt: 2 });
  });
});

describe('the Sobot token', () => {
  it('is fetched once and reused across callbacks', async () => {
    const bridge = await harness.start({ env: sobotEnv() });
    await bridge.ask(round({ runtimeid: 'r', questionid: '1' }));
    await bridge.ask(round({ runtimeid: 'r', questionid: '2' }));
    await waitFor(() => fakeSobot.sobot.accepted.length === 2, 'two callbacks');
    expect(fakeSobot.sobot.tokenRequests).toHaveLength(1);
    expect(new Set(fakeSobot.sobot.accepted.map((callback) => callback.token)).size).toBe(1);
  });

  it('is fetched once for callbacks delivered side by side', async () => {
    const clock = manualClock(Date.now());
    const bridge = await harness.start({ env: sobotEnv(), clock });
    await fakeSobot.sobot.down({ kind: 'refuse' });
    for (const questionid of ['1', '2', '3', '4']) await bridge.ask(round({ runtimeid: 'r', questionid }));
    await waitFor(() => callbackRows(bridge).filter((row) => Number(row.attempts) >= 1).length === 4, 'four failures');
    await fakeSobot.sobot.up();
    // Every retry falls due at once on the bridge's clock, so one pass delivers all four together.
    clock.advance(600_000);
    await waitFor(() => fakeSobot.sobot.accepted.length === 4, 'four callbacks');
    expect(fakeSobot.sobot.tokenRequests).toHaveLength(1);
  });

  it('is fetched anew when a callback is refused with HTTP 401, and the callback still goes through', async () => {
    const bridge = await harness.start({ env: sobotEnv() });
    fakeSobot.sobot.failNext(1, { kind: 'http', status: 401 });
    await bridge.ask(round({ runtimeid: 'r', questionid: '1' }));
    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'the callback');
    expect(fakeSobot.sobot.tokenRequests).toHaveLength(2);
    await waitFor(() => callbackRows(bridge)[0]?.status === 'delivered', 'the callback marked delivered');
    // The refusal and the retry with a fresh token are one attempt, as for a token Sobot names as bad.
    expect(callbackRows(bridge)[0]).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('is fetched anew once when Sobot rejects it, and the callback still goes through', async () => {
    const bridge = await harness.start({ env: sobotEnv() });
    await bridge.ask(round({ runtimeid: 'r', questionid: '1' }));
    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'the first callback');
    fakeSobot.sobot.expireTokens();
    await bridge.ask(round({ runtimeid: 'r', questionid: '2' }));
    await waitFor(() => fakeSobot.sobot.accepted.length === 2, 'the second callback');
    expect(fakeSobot.sobot.tokenRequests).toHaveLength(2);
    expect(fakeSobot.sobot.attempts).toHaveLength(3);
    expect(fakeSobot.sobot.accepted[1]?.token).not.toBe(fakeSobot.sobot.accepted[0]?.token);
    // The rejected attempt and its retry with the new token are one delivery attempt. The fake records the
    // callback before answering, so the bridge's own record of it may land a moment later.
    await waitFor(() => callbackRows(bridge)[1]?.status === 'delivered', 'the second callback marked delivered');
    expect(callbackRows(bridge)[1]).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('is refreshed before expires_in runs out, and shared through the database', async () => {
    fakeSobot.sobot.tokenLifetimeSeconds = 3600;
    const clock = manualClock(Date.now());
    const first = await harness.start({ env: sobotEnv(), clock });
    await first.ask(round({ runtimeid: 'r', questionid: '1' }));
    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'the first callback');
    await first.stop();

    // Another process on the same database reuses the stored token instead of fetching one.
    const second = await harness.start({ env: sobotEnv(), clock, databasePath: first.databasePath });
    await second.ask(round({ runtimeid: 'r', questionid: '2' }));
    await waitFor(() => fakeSobot.sobot.accepted.length === 2, 'the second callback');
    expect(fakeSobot.sobot.tokenRequests).toHaveLength(1);

    clock.advance(3600_000 - 60_000);
    await second.ask(round({ runtimeid: 'r', questionid: '3' }));
    await waitFor(() => fakeSobot.sobot.accepted.length === 3, 'the third callback');
    expect(fakeSobot.sobot.tokenRequests).toHaveLength(2);
    expect(fakeSobot.sobot.accepted[2]?.token).not.toBe(fakeSobot.sobot.accepted[1]?.token);
  });
});

describe('the outbox', () => {
  it('retries failures with backoff until Sobot accepts', async () => {
    const bridge = await harness.start({ env: sobotEnv() });
    fakeSobot.sobot.failNext(1, { kind: 'http', status: 503 });
    fakeSobot.sobot.failNext(1, { kind: 'reset' });
    fakeSobot.sobot.failNext(1, { kind: 'code', code: '100001', message: 'system busy' });
    await bridge.ask(round({ runtimeid: 'r', questionid: '1' }));
    await waitFor(() => callbackRows(bridge)[0]?.status === 'delivered', 'the callback after retries');
    expect(fakeSobot.sobot.accepted).toHaveLength(1);
    expect(fakeSobot.sobot.attempts).toHaveLength(4);
    expect(callbackRows(bridge)[0]).toMatchObject({ status: 'delivered', attempts: 4, last_error: null });
  });

  it('takes an HTTP 200 without an envelope as delivered: the document shows no answer to its callbacks', async () => {
    const bridge = await harness.start({ env: sobotEnv() });
    fakeSobot.sobot.bareAnswers = true;
    await bridge.ask(round({ runtimeid: 'r', questionid: '1' }));
    await waitFor(() => callbackRows(bridge)[0]?.status === 'delivered', 'the callback');
    expect(fakeSobot.sobot.attempts).toHaveLength(1);
    expect(callbackRows(bridge)[0]).toMatchObject({ attempts: 1, last_http_status: 200 });
  });

  it('honours Retry-After up to CALLBACK_RETRY_MAX_MS', async () => {
    const bridge = await harness.start({ env: sobotEnv({ CALLBACK_RETRY_MAX_MS: '60000' }) });
    fakeSobot.sobot.failNext(1, { kind: 'http', status: 429, retryAfterSeconds: 30 });
    fakeSobot.sobot.failNext(1, { kind: 'http', status: 429, retryAfterSeconds: 86_400 });
    await bridge.ask(round({ runtimeid: 'r', questionid: '1' }));
    await bridge.ask(round({ runtimeid: 'r', questionid: '2' }));
    await waitFor(() => callbackRows(bridge).every((row) => row.last_http_status === 429), 'both failed attempts');
    const waits = callbackRows(bridge).map((row) => (row.next_attempt_at as number) - (row.updated_at as number));
    // One waits the 30 s asked; the other, asked for a day, waits the longest retry delay instead.
    expect(waits.sort((a, b) => a - b)).toEqual([expect.any(Number), 60_000]);
    expect(waits[0]).toBeGreaterThanOrEqual(30_000);
    expect(waits[0]).toBeLessThan(60_000);
  });

  it('gives up after CALLBACK_MAX_ATTEMPTS and keeps the callback as dead with the last error', async () => {
    const bridge = await harness.start({ env: sobotEnv({ CALLBACK_MAX_ATTEMPTS: '3' }) });
    fakeSobot.sobot.failNext(10, { kind: 'http', status: 500 });
    await bridge.ask(round({ runtimeid: 'r', questionid: '1' }));
    await waitFor(() => callbackRows(bridge)[0]?.status === 'dead', 'the callback to die');
    expect(callbackRows(bridge)[0]).toMatchObject({ attempts: 3, last_http_status: 500 });
    expect(callbackRows(bridge)[0]?.last_error).toContain('HTTP 500');
    expect(fakeSobot.sobot.attempts).toHaveLength(3);
  });

  it('gives up after CALLBACK_MAX_AGE_SECONDS however few the attempts', async () => {
    const clock = manualClock(Date.now());
    const bridge = await harness.start({ env: sobotEnv({ CALLBACK_MAX_AGE_SECONDS: '60' }), clock });
    fakeSobot.sobot.failNext(1000, { kind: 'http', status: 503 });
    await bridge.ask(round({ runtimeid: 'r', questionid: '1' }));
    await waitFor(() => (callbackRows(bridge)[0]?.attempts as number) >= 1, 'a first attempt');
    clock.advance(61_000);
    await waitFor(() => callbackRows(bridge)[0]?.status === 'dead', 'the callback to die of age');
    expect(callbackRows(bridge)[0]?.attempts).toBeLessThan(20);
    expect(callbackRows(bridge)[0]?.last_error).toContain('HTTP 503');
  });

  it('does not retry a callback Sobot rejects as a bad request', async () => {
    const bridge = await harness.start({ env: sobotEnv() });
    fakeSobot.sobot.failNext(1, { kind: 'http', status: 400 });
    await bridge.ask(round({ runtimeid: 'r', questionid: '1' }));
    await waitFor(() => callbackRows(bridge)[0]?.status === 'dead', 'the callback to die');
    expect(callbackRows(bridge)[0]).toMatchObject({ attempts: 1, last_http_status: 400 });
  });

  it('does not follow a redirect: the token stays with the configured host', async () => {
    const batchPath = '/text/ai-agent-open/api/kb/question_call_back';
    const redirector = await startRedirectServer(fakeSobot.sobot.baseUrl);
    try {
      const bridge = await harness.start({
        env: sobotEnv({ SOBOT_BATCH_CALLBACK_URL: `${redirector.baseUrl}${batchPath}` }),
      });
      await bridge.ask(round({ runtimeid: 'r', questionid: '1' }));
      await waitFor(() => callbackRows(bridge)[0]?.status === 'dead', 'the redirected callback to die');
      expect(callbackRows(bridge)[0]).toMatchObject({ attempts: 1, last_http_status: 307 });
      expect(fakeSobot.sobot.attempts).toHaveLength(0);
    } finally {
      await redirector.close();
    }
  });

  it('does not follow a redirect of the token request: the sign stays with the configured host', async () => {
    const redirector = await startRedirectServer(fakeSobot.sobot.baseUrl);
    try {
      const bridge = await harness.start({ env: sobotEnv({ SOBOT_TOKEN_URL: `${redirector.baseUrl}/api/get_token` }) });
      await bridge.ask(round({ runtimeid: 'r', questionid: '1' }));
      await waitFor(() => callbackRows(bridge)[0]?.last_error !== null, 'a failed attempt');
      expect(callbackRows(bridge)[0]).toMatchObject({ status: 'pending' });
      expect(callbackRows(bridge)[0]?.last_error).toContain('HTTP 307');
      expect(fakeSobot.sobot.tokenRequests).toHaveLength(0);
      expect(fakeSobot.sobot.attempts).toHaveLength(0);
    } finally {
      await redirector.close();
    }
  });

  it('delivers callbacks left pending by an earlier process', async () => {
    const first = await harness.start({ env: sobotEnv({ SOBOT_APPID: '', SOBOT_APP_KEY: '' }) });
    await first.ask(round({ runtimeid: 'r', questionid: '1' }));
    await waitFor(() => callbackRows(first)[0]?.last_error !== null, 'the first attempt');
    expect(callbackRows(first)[0]).toMatchObject({ status: 'pending' });
    expect(callbackRows(first)[0]?.last_error).toContain('SOBOT_APPID and SOBOT_APP_KEY are not set');
    await first.stop();

    const second = await harness.start({
      env: sobotEnv({ CALLBACK_POLL_INTERVAL_MS: '60000' }),
      databasePath: first.databasePath,
    });
    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'delivery after the restart');
    await waitFor(() => callbackRows(second)[0]?.status === 'delivered', 'the callback marked delivered');
  });
});
