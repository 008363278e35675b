import { afterEach, describe, expect, it } from 'vitest';
import { round, storedRound } from './helpers/bridge.js';
import { useTestHarness } from './helpers/test-harness.js';
import { waitFor } from './helpers/wait-for.js';
import { runConversationOrder } from './scenarios/conversation-order.js';

const harness = useTestHarness();
afterEach(() => harness.llm.respondWith(undefined));

/** A bridge whose model stalls on questions containing "stall" and echoes the rest. */
async function startWithStallingModel() {
  harness.llm.respondWith((body) => {
    const question = String(body.messages.at(-1)?.content ?? '');
    return question.includes('stall')
      ? { kind: 'stall', chunks: [] }
      : { kind: 'stream', chunks: ['You said: ', question] };
  });
  return harness.start({
    env: harness.llmEnv({ LLM_FIRST_TOKEN_TIMEOUT_MS: '10000', LLM_TOTAL_TIMEOUT_MS: '10000' }),
  });
}

describe('one visitor, several quick messages', () => {
  it('are answered in the order sent, each with the earlier ones as context', async () => {
    const report = await runConversationOrder(8, 4);
    expect(report).toMatchObject({ messages: 32, replyProblems: [], answeredOutOfOrder: 0, missingContext: 0 });
  });

  it('do not hold up other conversations', async () => {
    const bridge = await startWithStallingModel();
    const stalled = round({ question: 'please stall' });
    void bridge.post(stalled).catch(() => {});
    await waitFor(() => storedRound(bridge, stalled.roundid)?.status === 'running', 'the stalled round');
    const { envelope } = await bridge.ask(round({ question: 'hello' }));
    expect(envelope.data?.[0]?.llm_answer).toBe('You said: hello');
    expect(storedRound(bridge, stalled.roundid)?.status).toBe('running');
  });

  it('batch-test rounds of the conversation are not held up either: they are independent questions', async () => {
    const bridge = await startWithStallingModel();
    const stalled = round({ question: 'please stall' });
    void bridge.post(stalled).catch(() => {});
    await waitFor(() => storedRound(bridge, stalled.roundid)?.status === 'running', 'the stalled round');
    const batch = round({ ai_agent_cid: stalled.ai_agent_cid, question: 'batch question', runtimeid: 'run-1' });
    const { envelope } = await bridge.ask(batch);
    expect(envelope.data?.[0]?.llm_answer).toBe('You said: batch question');
    expect(storedRound(bridge, stalled.roundid)?.status).toBe('running');
  });

  it('a message waiting its turn whose caller hangs up is stored as aborted at once', async () => {
    const bridge = await startWithStallingModel();
    const stalled = round({ question: 'please stall' });
    void bridge.post(stalled).catch(() => {});
    await waitFor(() => storedRound(bridge, stalled.roundid)?.status === 'running', 'the stalled round');
    const waiting = round({ ai_agent_cid: stalled.ai_agent_cid, question: 'next question' });
    const controller = new AbortController();
    const reply = bridge.post(waiting, { signal: controller.signal }).catch(() => undefined);
    await waitFor(() => storedRound(bridge, waiting.roundid)?.status === 'running', 'the waiting round');
    const callsBefore = harness.llm.calls.length;
    controller.abort();
    await reply;
    await waitFor(() => storedRound(bridge, waiting.roundid)?.status === 'aborted', 'the waiting round to abort');
    expect(storedRound(bridge, stalled.roundid)?.status).toBe('running');
    expect(harness.llm.calls.length).toBe(callsBefore);

    // The next message still waits for the round under way: the one that gave up must not open the way.
    const after = round({ ai_agent_cid: stalled.ai_agent_cid, question: 'after that' });
    void bridge.post(after).catch(() => {});
    await waitFor(() => storedRound(bridge, after.roundid)?.status === 'running', 'the next round');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(harness.llm.calls.length).toBe(callsBefore);
  });
});
