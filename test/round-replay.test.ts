import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/fake-openai.js';
import { round, startBridge, type Bridge } from './helpers/bridge.js';

let llm: FakeOpenAI;
beforeAll(async () => {
  llm = await startFakeOpenAI();
});
afterAll(async () => {
  await llm.close();
});

const llmEnv = () => ({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.baseUrl });

describe('a repeated (ai_agent_cid, roundid)', () => {
  let bridge: Bridge;
  beforeAll(async () => {
    bridge = await startBridge({ env: llmEnv() });
  });
  afterAll(async () => {
    await bridge.stop();
    bridge.cleanup();
  });

  it('replays the stored answer without calling the model again', async () => {
    const body = round();
    llm.script({ kind: 'stream', chunks: ['Two ', 'days.'] });
    const before = llm.calls.length;
    const first = await bridge.ask(body);
    const second = await bridge.ask(body);
    expect(llm.calls.length - before).toBe(1);
    expect(second.envelope).toEqual(first.envelope);
    expect(second.envelope.data?.[0]?.llm_answer).toBe('Two days.');
  });

  it('replays in the mode the repeat asks for', async () => {
    const body = round();
    llm.script({ kind: 'stream', chunks: ['Free ', 'returns ', 'for 30 days.'] });
    const before = llm.calls.length;
    const streamed = await bridge.askStream(body);
    const asJson = await bridge.ask(body);
    const streamedAgain = await bridge.askStream(body);
    expect(llm.calls.length - before).toBe(1);
    expect(streamed.items).toHaveLength(5);
    expect(asJson.envelope.data?.map((item) => item.llm_answer)).toEqual(['Free returns for 30 days.', '']);
    // A replayed stream carries the whole text in one MESSAGE that also ends the message.
    expect(
      streamedAgain.items.map((item) => [item.robot_answer_message_type, item.llm_answer, item.message_end]),
    ).toEqual([
      ['MESSAGE', 'Free returns for 30 days.', true],
      ['THIRD_ANSWER_INFO', '', true],
    ]);
  });

  it('does not mix up rounds with the same roundid in different conversations', async () => {
    const first = round({ roundid: 'shared-round', question: 'first' });
    const second = round({ roundid: 'shared-round', question: 'second' });
    const a = await bridge.ask(first);
    const b = await bridge.ask(second);
    expect(a.envelope.data?.[0]?.llm_answer).toBe('You said: first.');
    expect(b.envelope.data?.[0]?.llm_answer).toBe('You said: second.');
  });

  it('makes a duplicate that arrives mid-answer wait for the first and replay it', async () => {
    const body = round();
    llm.script({ kind: 'stream', chunks: ['slow ', 'answer'], firstTokenDelayMs: 300 });
    const before = llm.calls.length;
    const original = bridge.askStream(body);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const duplicate = bridge.ask(body);
    const [streamed, replayed] = await Promise.all([original, duplicate]);
    expect(llm.calls.length - before).toBe(1);
    expect(
      streamed.items
        .filter((item) => item.robot_answer_message_type === 'MESSAGE')
        .map((item) => item.llm_answer)
        .join(''),
    ).toBe('slow answer');
    expect(replayed.envelope.data?.[0]?.llm_answer).toBe('slow answer');
  });

  it('replays a failed round as it was answered, with the fallback', async () => {
    const body = round();
    llm.script({ kind: 'status', status: 400, message: 'bad model' });
    const before = llm.calls.length;
    const first = await bridge.ask(body);
    const second = await bridge.ask(body);
    expect(llm.calls.length - before).toBe(1);
    expect(second.envelope).toEqual(first.envelope);
    expect(second.envelope.data?.[1]).toMatchObject({ answer_type: 'UNKNOWN', success: false });
  });
});

describe('a duplicate that waits too long', () => {
  let bridge: Bridge;
  afterEach(async () => {
    await bridge.stop();
    bridge.cleanup();
  });

  it('gets 409 in the envelope while the first is still running', async () => {
    bridge = await startBridge({ env: { ...llmEnv(), DUPLICATE_WAIT_MS: '150' } });
    const body = round();
    llm.script({ kind: 'stream', chunks: ['late'], firstTokenDelayMs: 600 });
    const original = bridge.ask(body);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const response = await bridge.post({ ...body, req_stream: true });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      ret_code: '409000',
      ret_msg: expect.stringContaining('still being answered'),
    });
    expect((await original).envelope.data?.[0]?.llm_answer).toBe('late');
  });
});

describe('restart on the same database file', () => {
  it('replays rounds answered before the restart and keeps their context', async () => {
    const first = await startBridge({ env: llmEnv() });
    const body = round({ question: 'What is your returns policy?' });
    llm.script({ kind: 'stream', chunks: ['30 days, free.'] });
    const answered = await first.ask(body);
    await first.stop();

    const second = await startBridge({ env: llmEnv(), databasePath: first.databasePath });
    try {
      const before = llm.calls.length;
      const replayed = await second.ask(body);
      expect(llm.calls.length).toBe(before);
      expect(replayed.envelope).toEqual(answered.envelope);

      await second.ask({ ...body, roundid: 'after-restart', question: 'And for sale items?' });
      const messages = llm.calls[before]!.body.messages;
      expect(messages.slice(1)).toEqual([
        { role: 'user', content: 'What is your returns policy?' },
        { role: 'assistant', content: '30 days, free.' },
        { role: 'user', content: 'And for sale items?' },
      ]);
    } finally {
      await second.stop();
      first.cleanup();
    }
  });

  it('answers afresh a round whose process died while it was running', async () => {
    const first = await startBridge({ env: llmEnv() });
    const body = round();
    llm.script({ kind: 'stream', chunks: ['ok'] });
    await first.ask(body);
    await first.stop();
    // Make the stored round look like one a crashed process left behind long ago.
    const sqlite = new Database(first.databasePath);
    sqlite
      .prepare("update rounds set status = 'running', items = null, updated_at = 0 where roundid = ?")
      .run(body.roundid);
    sqlite.close();

    const second = await startBridge({ env: llmEnv(), databasePath: first.databasePath });
    try {
      const before = llm.calls.length;
      llm.script({ kind: 'stream', chunks: ['answered again'] });
      const { envelope } = await second.ask(body);
      expect(llm.calls.length - before).toBe(1);
      expect(envelope.data?.[0]?.llm_answer).toBe('answered again');
      const row = new Database(first.databasePath, { readonly: true })
        .prepare('select status, attempt from rounds where roundid = ?')
        .get(body.roundid);
      expect(row).toEqual({ status: 'succeeded', attempt: 2 });
    } finally {
      await second.stop();
      first.cleanup();
    }
  });
});
