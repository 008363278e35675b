import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig, logSettings } from '../src/config.js';
import { createPinoLogger, REDACTED } from '../src/runtime/pino-logger.js';
import { round, storedRound, type Bridge } from './helpers/bridge.js';
import { useFakeSobot } from './helpers/sobot-harness.js';
import { useTestHarness } from './helpers/test-harness.js';
import { waitFor } from './helpers/wait-for.js';
import { scrape } from './helpers/scrape-metrics.js';

const harness = useTestHarness();
const fakeSobot = useFakeSobot(harness);

type LogLine = Record<string, unknown>;

/** A bridge on the fake LLM whose log lines (at info) are kept, parsed. */
async function loggedBridge(env: Record<string, string> = {}): Promise<{ bridge: Bridge; lines: LogLine[] }> {
  const lines: LogLine[] = [];
  const bridge = await harness.start({
    env: harness.llmEnv({ LOG_LEVEL: 'info', OPENAI_MAX_RETRIES: '0', ...env }),
    logWrite: (line) => lines.push(JSON.parse(line) as LogLine),
  });
  return { bridge, lines };
}

const finishedLine = (lines: LogLine[], roundid: unknown) =>
  lines.find((line) => line.message === 'round finished' && line.roundid === roundid);

describe('logs', () => {
  it('echo X-Request-Id, and one "round finished" line carries it with the round, its source and timings', async () => {
    const { bridge, lines } = await loggedBridge();
    harness.llm.script({ kind: 'stream', chunks: ['Hello ', 'there'] });
    const body = round({ question: 'What is new?' });
    const response = await bridge.post(body, { headers: { 'X-Request-Id': 'sobot-req-42' } });
    expect(response.headers.get('x-request-id')).toBe('sobot-req-42');
    expect(response.status).toBe(200);
    await response.json();

    // A streamed reply, which Node writes to its socket itself, echoes it too.
    const streamed = await bridge.post(round({ req_stream: true }), { headers: { 'X-Request-Id': 'sobot-req-43' } });
    expect(streamed.headers.get('x-request-id')).toBe('sobot-req-43');
    expect(streamed.headers.get('content-type')).toBe('text/event-stream');
    await streamed.text();

    const finished = lines.filter((line) => line.message === 'round finished' && line.requestId === 'sobot-req-42');
    expect(finished).toHaveLength(1);
    const stored = storedRound(bridge, body.roundid)!;
    expect(finished[0]).toMatchObject({
      level: 'info',
      requestId: 'sobot-req-42',
      cid: body.ai_agent_cid,
      roundid: body.roundid,
      mode: 'json',
      source: 'llm',
      status: 'succeeded',
      answerType: 'GENERAL',
      question: 'What is new?',
      answer: 'Hello there',
      promptTokens: 11,
      completionTokens: 2,
      // The line's timings are the stored ones.
      firstTokenMs: stored.first_token_ms,
      firstByteMs: stored.first_byte_ms,
      latencyMs: stored.latency_ms,
    });
    expect(finished[0]?.time).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
  });

  it('make a request id when none (or an unusable one) comes, for streams too', async () => {
    const { bridge, lines } = await loggedBridge();
    const body = round({ req_stream: true });
    const response = await bridge.post(body, { headers: { 'X-Request-Id': 'not a token; <script>' } });
    await response.text();
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(finishedLine(lines, body.roundid)).toMatchObject({ requestId, mode: 'stream', status: 'succeeded' });

    const other = await bridge.post(round());
    expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(other.headers.get('x-request-id')).not.toBe(requestId);
  });

  it('log a failed round at warn with its error', async () => {
    const { bridge, lines } = await loggedBridge();
    harness.llm.script({ kind: 'status', status: 500 });
    const body = round();
    await bridge.ask(body);
    expect(finishedLine(lines, body.roundid)).toMatchObject({
      level: 'warn',
      status: 'failed',
      answerType: 'UNKNOWN',
      error: expect.stringContaining('HTTP 500'),
    });
  });

  it('log and count every refused request: a wrong token and a malformed body at warn, an unknown path at info', async () => {
    const { bridge, lines } = await loggedBridge({ WEBHOOK_TOKEN: 'right-token' });
    const wrongToken = await bridge.post(round(), { query: '?token=wrong', headers: { 'x-request-id': 'refused-1' } });
    expect(wrongToken.status).toBe(401);
    const malformed = await bridge.post('card 4111 1111', { query: '?token=right-token' });
    expect(malformed.status).toBe(400);
    expect((await fetch(`${bridge.url}/nowhere`)).status).toBe(404);

    const refused = lines.filter((line) => line.message === 'request refused');
    expect(refused).toEqual([
      expect.objectContaining({
        level: 'warn',
        requestId: 'refused-1',
        path: '/sobot/agent',
        status: 401,
        code: '401000',
        reason: 'invalid webhook token',
      }),
      expect.objectContaining({
        level: 'warn',
        path: '/sobot/agent',
        status: 400,
        code: '400000',
        reason: expect.stringContaining('request body is not valid JSON'),
      }),
      expect.objectContaining({ level: 'info', path: '/nowhere', status: 404, code: '404000' }),
    ]);
    // Neither the token, right or wrong, nor the body (V8 quotes a bad body's start in its message).
    expect(JSON.stringify(lines)).not.toMatch(/right-token|token=wrong|4111/);
    const samples = await scrape(bridge);
    expect(samples.get('sobot_bridge_requests_refused_total{route="webhook",code="401000"}')).toBe(1);
    expect(samples.get('sobot_bridge_requests_refused_total{route="webhook",code="400000"}')).toBe(1);
    expect(samples.get('sobot_bridge_requests_refused_total{route="other",code="404000"}')).toBe(1);
  });

  it('log a repeat that must wait for its original (409) at info: Sobot retries, nothing is wrong', async () => {
    const { bridge, lines } = await loggedBridge({ DUPLICATE_WAIT_MS: '150' });
    harness.llm.script({ kind: 'stream', chunks: ['late'], firstTokenDelayMs: 600 });
    const body = round();
    const original = bridge.ask(body);
    await waitFor(() => storedRound(bridge, body.roundid)?.status === 'running', 'the original under way');
    expect((await bridge.post(body)).status).toBe(409);
    await original;
    expect(lines.filter((line) => line.message === 'request refused')).toEqual([
      expect.objectContaining({ level: 'info', status: 409, code: '409000' }),
    ]);
  });

  it('cut the question and the answer at 500 characters in "round finished"', async () => {
    const { bridge, lines } = await loggedBridge();
    const long = 'q'.repeat(600);
    harness.llm.script({ kind: 'stream', chunks: ['a'.repeat(300), 'a'.repeat(300)] });
    const body = round({ question: long });
    await bridge.ask(body);
    expect(finishedLine(lines, body.roundid)).toMatchObject({
      question: `${'q'.repeat(500)}…`,
      answer: `${'a'.repeat(500)}…`,
    });
  });

  it("keep the visitor's words out of every line when LOG_REDACT_VISITOR_TEXT is set", async () => {
    const { bridge, lines } = await loggedBridge({ LOG_REDACT_VISITOR_TEXT: 'true' });
    harness.llm.script({ kind: 'stream', chunks: ['Card ending ', '4242 noted'] });
    const body = round({ question: 'My card is 4111-1111-1111-4242', req_stream: true });
    await (await bridge.post(body)).text();
    expect(finishedLine(lines, body.roundid)).toMatchObject({ question: REDACTED, answer: REDACTED });
    expect(JSON.stringify(lines)).not.toMatch(/4242|4111/);
  });

  it('always redact credentials, at the top level and in headers', () => {
    const written: string[] = [];
    const logger = createPinoLogger(logSettings(parseConfig({ LOG_LEVEL: 'warn' })), (line) => written.push(line));
    logger.warn('calling out', {
      authorization: 'Bearer sk-live-1',
      token: 'sobot-token-2',
      headers: { authorization: 'Bearer sk-live-3', 'content-type': 'application/json' },
      apiKey: 'key-4',
      secret: 'secret-5',
      question: 'kept unless configured',
    });
    logger.info('below the level: not written');
    expect(written).toHaveLength(1);
    expect(JSON.parse(written[0]!)).toMatchObject({
      level: 'warn',
      message: 'calling out',
      authorization: REDACTED,
      token: REDACTED,
      headers: { authorization: REDACTED, 'content-type': 'application/json' },
      apiKey: REDACTED,
      secret: REDACTED,
      question: 'kept unless configured',
    });
    expect(written.join('\n')).not.toMatch(/sk-live|sobot-token|key-4|secret-5/);
  });
});

describe('GET /metrics', () => {
  it('counts real rounds by mode, answer type, status and source, with latency histograms and tokens', async () => {
    const { bridge } = await loggedBridge();
    harness.llm.script(
      { kind: 'stream', chunks: ['a ', 'b'] },
      { kind: 'stream', chunks: ['c'] },
      { kind: 'status', status: 500 },
    );
    await bridge.ask(round());
    await bridge.askStream(round());
    await bridge.ask(round());
    const samples = await scrape(bridge);

    const rounds = (labels: string) => samples.get(`sobot_bridge_rounds_total{${labels}}`);
    expect(rounds('mode="json",answer_type="GENERAL",status="succeeded",source="llm"')).toBe(1);
    expect(rounds('mode="stream",answer_type="GENERAL",status="succeeded",source="llm"')).toBe(1);
    expect(rounds('mode="json",answer_type="UNKNOWN",status="failed",source="llm"')).toBe(1);
    expect(samples.get('sobot_bridge_round_duration_seconds_count{mode="json"}')).toBe(2);
    expect(samples.get('sobot_bridge_round_first_byte_seconds_count{mode="json"}')).toBe(2);
    expect(samples.get('sobot_bridge_round_first_byte_seconds_count{mode="stream"}')).toBe(1);
    // The failed round never had a first token.
    expect(samples.get('sobot_bridge_round_first_token_seconds_count{mode="json"}')).toBe(1);
    expect(samples.get('sobot_bridge_llm_tokens_total{model="gpt-4o-mini",type="prompt"}')).toBe(22);
    expect(samples.get('sobot_bridge_llm_tokens_total{model="gpt-4o-mini",type="completion"}')).toBe(3);
    expect(samples.get('sobot_bridge_inflight_rounds')).toBe(0);
    expect(samples.get('sobot_bridge_rounds_running')).toBe(0);
    expect(samples.has('process_resident_memory_bytes')).toBe(true);
  });

  it('counts knowledge hits, and reads outbox depth and failures from the database', async () => {
    const sobot = fakeSobot.sobot;
    const bridge = await harness.start({
      // A slow retry keeps the failed callback pending while we look.
      env: fakeSobot.env({
        KNOWLEDGE_DIR: 'knowledge',
        CALLBACK_RETRY_BASE_MS: '600000',
        CALLBACK_RETRY_MAX_MS: '600000',
      }),
    });
    sobot.failNext(1, { kind: 'http', status: 503 });
    sobot.failNext(1, { kind: 'http', status: 400 });
    // Both answered from the sample FAQ, without the model; each owes Sobot a callback.
    await bridge.ask(round({ question: 'How long does shipping take?', copilot: true }));
    await waitFor(() => sobot.attempts.length === 1, 'the copilot callback attempt');
    await bridge.ask(round({ question: 'How long does shipping take?', runtimeid: 'run-1', questionid: 'q-1' }));
    await waitFor(() => sobot.attempts.length === 2, 'the batch callback attempt');

    await waitFor(async () => (await scrape(bridge)).get('sobot_bridge_outbox_callbacks{status="dead"}') === 1);
    const samples = await scrape(bridge);
    expect(samples.get('sobot_bridge_outbox_callbacks{status="pending"}')).toBe(1);
    expect(samples.get('sobot_bridge_outbox_retrying_callbacks')).toBe(1);
    expect(samples.get('sobot_bridge_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(0);
    expect(samples.get('sobot_bridge_callback_attempts_total{kind="copilot",outcome="retry"}')).toBe(1);
    expect(samples.get('sobot_bridge_callback_attempts_total{kind="batch",outcome="dead"}')).toBe(1);
    expect(samples.get('sobot_bridge_knowledge_hits_total{kind="faq"}')).toBe(2);
    expect(
      samples.get('sobot_bridge_rounds_total{mode="copilot",answer_type="QA_DIRECT",status="succeeded",source="faq"}'),
    ).toBe(1);

    await bridge.ask(round({ question: 'How long does shipping take?', runtimeid: 'run-1', questionid: 'q-2' }));
    await waitFor(() => sobot.accepted.length === 1, 'the batch callback Sobot takes');
    await waitFor(
      async () =>
        (await scrape(bridge)).get('sobot_bridge_callback_attempts_total{kind="batch",outcome="delivered"}') === 1,
      'the delivery counted',
    );
  });

  it('count the rounds under way, in /healthz and the in-flight gauge', async () => {
    const { bridge } = await loggedBridge({ LLM_FIRST_TOKEN_TIMEOUT_MS: '10000' });
    const inflight = async () => ({
      health: ((await (await fetch(`${bridge.url}/healthz`)).json()) as { inflightRounds: number }).inflightRounds,
      gauge: (await scrape(bridge)).get('sobot_bridge_inflight_rounds'),
    });
    harness.llm.script({ kind: 'stream', chunks: ['done'], firstTokenDelayMs: 800 });
    const body = round();
    const reply = bridge.ask(body);
    await waitFor(() => storedRound(bridge, body.roundid)?.status === 'running', 'the round under way');
    expect(await inflight()).toEqual({ health: 1, gauge: 1 });
    await reply;
    await waitFor(
      async () => JSON.stringify(await inflight()) === JSON.stringify({ health: 0, gauge: 0 }),
      'none left',
    );
  });

  it('requires METRICS_TOKEN when one is set, as a bearer token or ?token=', async () => {
    const bridge = await harness.start({ env: { METRICS_TOKEN: 'scrape-s3cret' } });
    const missing = await fetch(`${bridge.url}/metrics`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ ret_msg: expect.stringContaining('missing metrics token') });
    expect((await fetch(`${bridge.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${bridge.url}/metrics?token=scrape-s3cret`)).status).toBe(200);
    const samples = await scrape(bridge, { authorization: 'Bearer scrape-s3cret' });
    expect(samples.get('sobot_bridge_rounds_running')).toBe(0);
  });
});

/** A round's stored timings; parsing fails if any is missing. */
const timingColumns = z.object({
  created_at: z.number(),
  first_token_ms: z.number(),
  first_byte_ms: z.number(),
  latency_ms: z.number(),
  completed_at: z.number(),
});

describe('round timings', () => {
  it('are stored in order for a JSON round: received, first token, done, then the first byte of the reply', async () => {
    const bridge = await harness.start({ env: harness.llmEnv() });
    harness.llm.script({ kind: 'stream', chunks: ['one ', 'two'], firstTokenDelayMs: 20, intervalMs: 20 });
    const body = round();
    await bridge.ask(body);
    const { created_at, first_token_ms, first_byte_ms, latency_ms, completed_at } = timingColumns.parse(
      storedRound(bridge, body.roundid),
    );
    expect(first_token_ms).toBeGreaterThanOrEqual(0);
    expect(first_token_ms).toBeLessThanOrEqual(latency_ms);
    // A JSON reply is written whole, once the answer is complete (on Node just before the round is stored).
    expect(latency_ms).toBeLessThanOrEqual(first_byte_ms);
    expect(completed_at).toBe(created_at + latency_ms);
  });

  it('are stored in order for a stream: the first frame goes out before the round is done', async () => {
    const bridge = await harness.start({ env: harness.llmEnv() });
    harness.llm.script({ kind: 'stream', chunks: ['one ', 'two'], firstTokenDelayMs: 20, intervalMs: 20 });
    const body = round({ req_stream: true });
    await bridge.askStream(body);
    const { first_token_ms, first_byte_ms, latency_ms } = timingColumns.parse(storedRound(bridge, body.roundid));
    expect(first_token_ms).toBeGreaterThanOrEqual(0);
    expect(first_token_ms).toBeLessThanOrEqual(first_byte_ms);
    expect(first_byte_ms).toBeLessThanOrEqual(latency_ms);
  });

  it('record the first byte of a stream that only had the closing items to send, and none for copilot', async () => {
    const bridge = await harness.start({ env: harness.llmEnv({ OPENAI_MAX_RETRIES: '0' }) });
    harness.llm.script({ kind: 'status', status: 503 });
    const failed = round({ req_stream: true });
    await bridge.askStream(failed);
    const row = timingColumns.extend({ first_token_ms: z.null() }).parse(storedRound(bridge, failed.roundid));
    expect(row.first_byte_ms).toBeGreaterThanOrEqual(row.latency_ms);

    const copilot = round({ copilot: true });
    await bridge.ask(copilot);
    await waitFor(() => storedRound(bridge, copilot.roundid)?.status !== 'running', 'the copilot answer');
    expect(storedRound(bridge, copilot.roundid)).toMatchObject({ first_byte_ms: null });
  });
});
