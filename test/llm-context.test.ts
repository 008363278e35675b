import { describe, expect, it } from 'vitest';
import { manualClock, round, storedRound, type Bridge } from './helpers/bridge.js';
import { useTestHarness } from './helpers/test-harness.js';
import { waitFor } from './helpers/wait-for.js';

const harness = useTestHarness();
const llmEnv = harness.llmEnv;
const lastMessages = () => harness.llm.calls.at(-1)!.body.messages;

describe('conversation context', () => {
  it('sends earlier rounds of the same conversation, oldest first', async () => {
    const bridge = await harness.start({ env: llmEnv() });
    const cid = 'ctx-1';
    await bridge.ask(round({ ai_agent_cid: cid, question: 'one' }));
    await bridge.ask(round({ ai_agent_cid: 'someone-else', question: 'unrelated' }));
    await bridge.ask(round({ ai_agent_cid: cid, question: 'two' }));
    await bridge.ask(round({ ai_agent_cid: cid, question: 'three' }));
    expect(lastMessages().slice(1)).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'You said: one.' },
      { role: 'user', content: 'two' },
      { role: 'assistant', content: 'You said: two.' },
      { role: 'user', content: 'three' },
    ]);
  });

  it('keeps at most CONTEXT_MAX_TURNS turns, the newest', async () => {
    const bridge = await harness.start({ env: llmEnv({ CONTEXT_MAX_TURNS: '1' }) });
    const cid = 'ctx-2';
    for (const question of ['a', 'b', 'c']) await bridge.ask(round({ ai_agent_cid: cid, question }));
    expect(
      lastMessages()
        .slice(1)
        .map((message) => message.content),
    ).toEqual(['b', 'You said: b.', 'c']);
  });

  it('leaves out failed rounds and welcome messages', async () => {
    const bridge = await harness.start({ env: llmEnv({ OPENAI_MAX_RETRIES: '0' }) });
    const cid = 'ctx-3';
    await bridge.ask(round({ ai_agent_cid: cid, input_type_enum: 'WELCOME' }));
    await bridge.ask(round({ ai_agent_cid: cid, question: 'kept' }));
    harness.llm.script({ kind: 'status', status: 500 });
    await bridge.ask(round({ ai_agent_cid: cid, question: 'failed' }));
    await bridge.ask(round({ ai_agent_cid: cid, question: 'now' }));
    expect(
      lastMessages()
        .slice(1)
        .map((message) => message.content),
    ).toEqual(['kept', 'You said: kept.', 'now']);
  });

  it('uses context_validity_time (seconds) as the window, and the default when it is 0', async () => {
    const clock = manualClock();
    const bridge = await harness.start({ env: llmEnv({ CONTEXT_WINDOW_SECONDS: '3600' }), clock });
    const cid = 'ctx-4';
    await bridge.ask(round({ ai_agent_cid: cid, question: 'old question' }));
    clock.advance(120_000);

    await bridge.ask(round({ ai_agent_cid: cid, question: 'window of 60 s', context_validity_time: 60 }));
    expect(
      lastMessages()
        .slice(1)
        .map((message) => message.content),
    ).toEqual(['window of 60 s']);

    await bridge.ask(round({ ai_agent_cid: cid, question: 'window of 300 s', context_validity_time: '300' }));
    expect(
      lastMessages()
        .slice(1)
        .map((message) => message.content),
    ).toEqual([
      'old question',
      'You said: old question.',
      'window of 60 s',
      'You said: window of 60 s.',
      'window of 300 s',
    ]);

    clock.advance(3_500_000);
    await bridge.ask(round({ ai_agent_cid: cid, question: 'default window', context_validity_time: 0 }));
    // The default 3600 s reaches the rounds answered 3500 s ago, not the first one (3620 s ago).
    expect(
      lastMessages()
        .slice(1)
        .map((message) => message.content),
    ).toEqual([
      'window of 60 s',
      'You said: window of 60 s.',
      'window of 300 s',
      'You said: window of 300 s.',
      'default window',
    ]);
  });

  it('replays an image turn to the model as an image', async () => {
    const bridge = await harness.start({ env: llmEnv() });
    const cid = 'ctx-5';
    const url = 'https://cdn.example.com/a.jpg';
    await bridge.ask(round({ ai_agent_cid: cid, msg_type: 'IMG', question: url, show_question: 'what is this?' }));
    await bridge.ask(round({ ai_agent_cid: cid, question: 'and the price?' }));
    expect(lastMessages()[1]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'what is this?' },
        { type: 'image_url', image_url: { url } },
      ],
    });
  });
});

describe('conversation context of a round that waited for the one before it', () => {
  // A round posted while an earlier one of its conversation is running is claimed at once, but answered only
  // once the earlier one has finished: the turns its claim read cannot hold that answer, so it reads the
  // context again when its turn comes (the store's recentTurns, not the claim's statement). That read must
  // keep to the same turns as the claim's: answered ones, no welcome.
  const FALLBACK = 'Sorry, something went wrong.';
  const WELCOME = 'Welcome to Northwind!';
  const startBridge = () =>
    harness.start({
      env: llmEnv({
        OPENAI_MAX_RETRIES: '0',
        FALLBACK_TEXT: FALLBACK,
        WELCOME_TEXT: WELCOME,
        LLM_FIRST_TOKEN_TIMEOUT_MS: '1000',
        LLM_TOTAL_TIMEOUT_MS: '5000',
      }),
    });

  /** Asks `first`, then `second` while `first` is still running, so that `second` waits its turn. */
  async function askWhileRunning(bridge: Bridge, first: Record<string, unknown>, second: Record<string, unknown>) {
    const firstReply = bridge.ask(first);
    await waitFor(() => storedRound(bridge, first.roundid)?.status === 'running', 'the first round to run');
    const secondReply = bridge.ask(second);
    await waitFor(() => storedRound(bridge, second.roundid) !== undefined, 'the second round to be claimed');
    // Claimed while the first still ran: its claim could not read the first, only a read after the wait can.
    expect(storedRound(bridge, first.roundid)?.status).toBe('running');
    await Promise.all([firstReply, secondReply]);
  }

  it('leaves out a round that failed while it waited, and the welcome message', async () => {
    const bridge = await startBridge();
    const cid = 'ctx-waited-1';
    const welcome = await bridge.ask(round({ ai_agent_cid: cid, input_type_enum: 'WELCOME' }));
    expect(welcome.envelope.data?.[0]?.llm_answer).toBe(WELCOME);
    // The first question's model never starts answering: it fails at the first-token deadline, with the fallback.
    harness.llm.script({ kind: 'stall', chunks: [] });
    const failing = round({ ai_agent_cid: cid, question: 'first question' });
    await askWhileRunning(bridge, failing, round({ ai_agent_cid: cid, question: 'second question' }));
    expect(storedRound(bridge, failing.roundid)).toMatchObject({ status: 'failed', answer_text: FALLBACK });
    expect(lastMessages().slice(1)).toEqual([{ role: 'user', content: 'second question' }]);
  });

  it('includes a round that was answered while it waited', async () => {
    const bridge = await startBridge();
    const cid = 'ctx-waited-2';
    harness.llm.script({ kind: 'stream', chunks: ['First ', 'answer.'], firstTokenDelayMs: 500 });
    await askWhileRunning(
      bridge,
      round({ ai_agent_cid: cid, question: 'first question' }),
      round({ ai_agent_cid: cid, question: 'second question' }),
    );
    expect(lastMessages().slice(1)).toEqual([
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'First answer.' },
      { role: 'user', content: 'second question' },
    ]);
  });
});

describe('system prompt', () => {
  it('renders robot name, remark, variables and params into the configured template', async () => {
    const bridge = await harness.start({
      env: llmEnv({
        SYSTEM_PROMPT:
          'You are {{robot_name}}.\n{{robot_remark}}\nCity: {{param.city}}\nTier: {{var.tier}}\n{{visitor_facts}}',
      }),
    });
    await bridge.ask(
      round({
        robot_name: 'Ava',
        input_variable_infos: [
          { variable_id: '1', variable_name: 'tier', variable_value: 'gold', variable_type: 'CHARACTER' },
        ],
        params: '{"city":"Shenzhen"}',
        multi_params: { orderNo: 'A-100' },
      }),
    );
    expect(lastMessages()[0]).toEqual({
      role: 'system',
      content: [
        'You are Ava.',
        'City: Shenzhen',
        'Tier: gold',
        'What we know about the visitor:',
        '- tier: gold',
        '- city: Shenzhen',
        '- orderNo: A-100',
      ].join('\n'),
    });
  });
});

describe('debug robots', () => {
  it('use the draft model and prompt, and are stored as test rounds', async () => {
    const bridge = await harness.start({
      env: llmEnv({
        OPENAI_MODEL: 'prod-model',
        OPENAI_DEBUG_MODEL: 'draft-model',
        DEBUG_SYSTEM_PROMPT: 'Draft prompt for {{robot_name}}',
      }),
    });
    for (const robotModel of ['THIRD_DEBUG', 'SELF_DEBUG']) {
      const body = round({ robot_model: robotModel, robot_name: 'Ava' });
      await bridge.ask(body);
      expect(harness.llm.calls.at(-1)!.body.model).toBe('draft-model');
      expect(lastMessages()[0]).toEqual({ role: 'system', content: 'Draft prompt for Ava' });
      expect(storedRound(bridge, body.roundid)).toMatchObject({ is_test: 1, robot_model: robotModel });
    }
    const standard = round({ robot_model: 'THIRD_STANDARD' });
    await bridge.ask(standard);
    expect(harness.llm.calls.at(-1)!.body.model).toBe('prod-model');
    expect(storedRound(bridge, standard.roundid)).toMatchObject({ is_test: 0 });
  });

  it('fall back to the standard model when no draft is configured', async () => {
    const bridge = await harness.start({ env: llmEnv({ OPENAI_MODEL: 'only-model' }) });
    await bridge.ask(round({ robot_model: 'THIRD_DEBUG' }));
    expect(harness.llm.calls.at(-1)!.body.model).toBe('only-model');
  });
});

describe('stored rounds', () => {
  it('record the question, answer, model, usage and timings', async () => {
    const bridge = await harness.start({ env: llmEnv({ OPENAI_MODEL: 'fake-model' }) });
    const body = round({ question: 'Where is my parcel?', runtimeid: 'rt-1', questionid: 'qq-1' });
    harness.llm.script({ kind: 'stream', chunks: ['On ', 'its ', 'way.'] });
    await bridge.askStream(body);
    const row = storedRound(bridge, body.roundid)!;
    expect(row).toMatchObject({
      cid: body.ai_agent_cid,
      question: 'Where is my parcel?',
      input_type: 'INPUT',
      msg_type: 'TEXT',
      status: 'succeeded',
      answer_source: 'llm',
      answer_text: 'On its way.',
      answer_type: 'GENERAL',
      lan: 'en',
      success: 1,
      model: 'fake-model',
      prompt_tokens: 11,
      completion_tokens: 3,
      total_tokens: 14,
      req_stream: 1,
      runtimeid: 'rt-1',
      questionid: 'qq-1',
      error: null,
    });
    expect(row.latency_ms).toEqual(expect.any(Number));
    expect(row.first_token_ms).toEqual(expect.any(Number));
    expect(JSON.parse(row.request as string)).toMatchObject({ roundid: body.roundid });
    expect(JSON.parse(row.items as string)).toHaveLength(2);
  });
});
