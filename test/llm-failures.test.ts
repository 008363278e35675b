import { describe, expect, it } from 'vitest';
import { parseSse, round, storedRound } from './helpers/bridge.js';
import { useTestHarness } from './helpers/test-harness.js';
import { waitFor } from './helpers/wait-for.js';
import { FALLBACK, faultProblems, llmFaults, runLlmFault } from './scenarios/llm-faults.js';

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

describe('every model fault, in both modes, ends by its deadline the way the protocol says', () => {
  // Before any text: the fallback, HTTP 200, success false. After text went out in a stream: ERROR_END.
  // Either way a failed round is stored with the reason. The catalogue is shared with `npm run resilience`.
  for (const fault of llmFaults) {
    for (const mode of ['json', 'sse'] as const) {
      it(`${mode}: ${fault.name}`, async () => {
        const outcome = await runLlmFault(harness.llm, fault, mode);
        // The suite's files share two cores, so a round may end later than in `npm run resilience` (250 ms);
        // a deadline that did not hold would run on into the fault's stall, seconds longer.
        expect(faultProblems(outcome, 1500)).toEqual([]);
      });
    }
  }
});

describe('other model outcomes', () => {
  it('the model answers with no text at all: the fallback', async () => {
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

  it('leave a retry that was waiting for the original to answer afresh once the original is aborted', async () => {
    const b = await start({ LLM_TOTAL_TIMEOUT_MS: '10000', LLM_FIRST_TOKEN_TIMEOUT_MS: '5000' });
    harness.llm.script(
      { kind: 'stream', chunks: ['one ', 'two ', 'three ', 'four'], intervalMs: 400 },
      { kind: 'stream', chunks: ['fresh answer'] },
    );
    const body = round();
    const controller = new AbortController();
    const response = await b.post({ ...body, req_stream: true }, { signal: controller.signal });
    await response.body!.getReader().read();
    // Sobot's retry comes while the original still runs: it waits for it.
    const retry = b.ask(body);
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();

    const { envelope } = await retry;
    expect(envelope.data?.[0]?.llm_answer).toBe('fresh answer');
    expect(storedRound(b, body.roundid)).toMatchObject({ status: 'succeeded', attempt: 2 });
  });

  it('abort the round when only the reply body says so (cancelled, the request signal never aborting)', async () => {
    const b = await start({ LLM_TOTAL_TIMEOUT_MS: '10000', LLM_FIRST_TOKEN_TIMEOUT_MS: '5000' });
    harness.llm.script({ kind: 'stream', chunks: ['one ', 'two ', 'three ', 'four'], intervalMs: 400 });
    const body = round({ req_stream: true });
    const callIndex = harness.llm.calls.length;
    // app.request: the web event stream, and a request whose signal nothing aborts (as on a Worker without
    // enable_request_signal).
    const response = await b.runtime.app.request('/sobot/agent', { method: 'POST', body: JSON.stringify(body) });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('one ');
    await reader.cancel();

    await harness.llm.callEnded(callIndex);
    expect(harness.llm.calls[callIndex]?.clientAborted).toBe(true);
    await waitFor(() => storedRound(b, body.roundid)?.status === 'aborted', 'the round to be stored as aborted');
  });
});

describe('without OPENAI_API_KEY', () => {
  it('answers WELCOME and gives other questions the fallback without calling any model', async () => {
    // The model's address is set, only its key is not: a call, if one were made, would reach the fake.
    const { OPENAI_API_KEY: _key, ...modelWithoutKey } = harness.llmEnv();
    const bridge = await harness.start({
      env: { ...modelWithoutKey, FALLBACK_TEXT: FALLBACK, WELCOME_TEXT: 'Hi there!' },
    });
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
