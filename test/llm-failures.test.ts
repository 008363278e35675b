import { describe, expect, it } from 'vitest';
import { parseSse, round, storedRound } from './helpers/bridge.js';
import { freePort } from './helpers/free-port.js';
import { useTestHarness } from './helpers/test-harness.js';
import { waitFor } from './helpers/wait-for.js';

const FALLBACK = 'Sorry, our assistant is unavailable.';

const harness = useTestHarness();

function start(extra: Record<string, string> = {}) {
  return harness.start({
    env: {
      ...harness.llmEnv(),
      OPENAI_MAX_RETRIES: '0',
      FALLBACK_TEXT: FALLBACK,
      LLM_FIRST_TOKEN_TIMEOUT_MS: '300',
      LLM_TOTAL_TIMEOUT_MS: '800',
      ...extra,
    },
  });
}

const fallbackSequence = [
  ['MESSAGE', FALLBACK, true, 'UNKNOWN'],
  ['THIRD_ANSWER_INFO', '', true, 'UNKNOWN'],
];
const shape = (
  items: Array<{ robot_answer_message_type: string; llm_answer: string; message_end: boolean; answer_type: string }>,
) => items.map((item) => [item.robot_answer_message_type, item.llm_answer, item.message_end, item.answer_type]);

describe('failures before any text give the fallback, HTTP 200, success false', () => {
  const cases: Array<[string, () => void, string]> = [
    [
      'a 500 from the model API',
      () => harness.llm.script({ kind: 'status', status: 500, message: 'upstream exploded' }),
      'HTTP 500',
    ],
    [
      'a 429 with no retries left',
      () => harness.llm.script({ kind: 'status', status: 429, headers: { 'retry-after': '0' } }),
      'HTTP 429',
    ],
    [
      'a stall before the first token',
      () => harness.llm.script({ kind: 'stall', chunks: [] }),
      'no first token within 300 ms',
    ],
    ['a reset before the first token', () => harness.llm.script({ kind: 'drop', chunks: [] }), 'upstream'],
    ['garbage instead of SSE', () => harness.llm.script({ kind: 'garbage' }), 'upstream'],
  ];
  for (const [name, arrange, reason] of cases) {
    it(`non-streaming: ${name}`, async () => {
      const b = await start();
      arrange();
      const body = round();
      const { status, envelope } = await b.ask(body);
      expect(status).toBe(200);
      expect(envelope.ret_code).toBe('000000');
      expect(shape(envelope.data ?? [])).toEqual(fallbackSequence);
      expect(envelope.data?.[1]?.success).toBe(false);
      const row = storedRound(b, body.roundid)!;
      expect(row).toMatchObject({ status: 'failed', answer_type: 'UNKNOWN', success: 0 });
      expect(row.error).toContain(reason);
    });

    it(`streaming: ${name}`, async () => {
      const b = await start();
      arrange();
      const { status, items } = await b.askStream(round());
      expect(status).toBe(200);
      expect(shape(items)).toEqual(fallbackSequence);
    });
  }

  it('when the model API refuses connections', async () => {
    const port = await freePort();
    const b = await start({ OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` });
    const body = round();
    const { envelope } = await b.ask(body);
    expect(shape(envelope.data ?? [])).toEqual(fallbackSequence);
    expect(storedRound(b, body.roundid)?.error).toContain('cannot reach the model API');
  });

  it('when the model answers with no text at all', async () => {
    const b = await start();
    harness.llm.script({ kind: 'stream', chunks: [] });
    const body = round();
    const { envelope } = await b.ask(body);
    expect(shape(envelope.data ?? [])).toEqual(fallbackSequence);
    expect(storedRound(b, body.roundid)?.error).toContain('empty');
  });

  it('retries a 429 with Retry-After when retries are allowed', async () => {
    const b = await start({ OPENAI_MAX_RETRIES: '1' });
    harness.llm.script(
      { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
      { kind: 'stream', chunks: ['after retry'] },
    );
    const before = harness.llm.calls.length;
    const { envelope } = await b.ask(round());
    expect(harness.llm.calls.length - before).toBe(2);
    expect(envelope.data?.[0]?.llm_answer).toBe('after retry');
  });
});

describe('failures after text went out end the stream with ERROR_END', () => {
  it('a reset mid-stream', async () => {
    const b = await start();
    harness.llm.script({ kind: 'drop', chunks: ['Half ', 'an answ'] });
    const body = round();
    const { items } = await b.askStream(body);
    expect(shape(items)).toEqual([
      ['MESSAGE', 'Half ', false, 'GENERAL'],
      ['MESSAGE', 'an answ', false, 'GENERAL'],
      ['ERROR_END', '', true, 'UNKNOWN'],
    ]);
    expect(items.at(-1)?.success).toBe(false);
    const row = storedRound(b, body.roundid)!;
    expect(row).toMatchObject({ status: 'failed', answer_text: 'Half an answ', success: 0 });
  });

  it('a stall mid-stream, cut by the total timeout', async () => {
    const b = await start();
    harness.llm.script({ kind: 'stall', chunks: ['Still thinking'] });
    const body = round();
    const { items } = await b.askStream(body);
    expect(shape(items)).toEqual([
      ['MESSAGE', 'Still thinking', false, 'GENERAL'],
      ['ERROR_END', '', true, 'UNKNOWN'],
    ]);
    expect(storedRound(b, body.roundid)?.error).toContain('no complete answer within 800 ms');
  });

  it('a non-streaming round that breaks mid-answer gets the fallback, since nothing was shown', async () => {
    const b = await start();
    harness.llm.script({ kind: 'drop', chunks: ['Half '] });
    const { envelope } = await b.ask(round());
    expect(shape(envelope.data ?? [])).toEqual(fallbackSequence);
  });

  it('a repeat of a round that broke mid-stream replays what was sent, ending in ERROR_END', async () => {
    const b = await start();
    harness.llm.script({ kind: 'drop', chunks: ['Half '] });
    const body = round();
    await b.askStream(body);
    const { items } = await b.askStream(body);
    expect(shape(items)).toEqual([
      ['MESSAGE', 'Half ', true, 'GENERAL'],
      ['ERROR_END', '', true, 'UNKNOWN'],
    ]);
  });
});

describe('client disconnects', () => {
  it('abort the model call and store the round as aborted; a retry answers afresh', async () => {
    const b = await start({ LLM_TOTAL_TIMEOUT_MS: '10000', LLM_FIRST_TOKEN_TIMEOUT_MS: '5000' });
    harness.llm.script({ kind: 'stream', chunks: ['one ', 'two ', 'three ', 'four'], intervalMs: 400 });
    const body = round();
    const callIndex = harness.llm.calls.length;
    const controller = new AbortController();
    const response = await b.post({ ...body, req_stream: true }, { signal: controller.signal });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('one ');
    controller.abort();

    await harness.llm.callEnded(callIndex);
    expect(harness.llm.calls[callIndex]?.clientAborted).toBe(true);
    await waitFor(() => storedRound(b, body.roundid)?.status === 'aborted', 'the round to be stored as aborted');

    harness.llm.script({ kind: 'stream', chunks: ['fresh answer'] });
    const { envelope } = await b.ask(body);
    expect(envelope.data?.[0]?.llm_answer).toBe('fresh answer');
    expect(storedRound(b, body.roundid)).toMatchObject({ status: 'succeeded', attempt: 2 });
  });
});

describe('without OPENAI_API_KEY', () => {
  it('answers WELCOME and gives other questions the fallback without calling any model', async () => {
    const bridge = await harness.start({ env: { FALLBACK_TEXT: FALLBACK, WELCOME_TEXT: 'Hi there!' } });
    const before = harness.llm.calls.length;
    const welcome = await bridge.ask(round({ input_type_enum: 'WELCOME' }));
    expect(welcome.envelope.data?.[0]?.llm_answer).toBe('Hi there!');
    const body = round();
    const response = await bridge.post({ ...body, req_stream: true });
    expect(shape(parseSse(await response.text()))).toEqual(fallbackSequence);
    expect(harness.llm.calls.length).toBe(before);
    expect(storedRound(bridge, body.roundid)).toMatchObject({
      status: 'unanswered',
      answer_source: 'none',
      error: null,
    });
  });
});
