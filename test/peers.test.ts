import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ThirdAlgorithmResponseItem } from '../src/sobot/schemas/response.js';
import { startFakeCybotstar, type FakeCybotstar } from './fakes/fake-cybotstar.js';
import { startFakeLaiye, type FakeLaiye } from './fakes/fake-laiye.js';
import { startFakeTateatate, type FakeTateatate } from './fakes/fake-tateatate.js';
import { startRedirectServer } from './fakes/redirect-server.js';
import { round, storedRound, type Bridge } from './helpers/bridge.js';
import { useTestHarness } from './helpers/test-harness.js';
import { waitFor } from './helpers/wait-for.js';

const harness = useTestHarness();
let laiye: FakeLaiye;
let cybot: FakeCybotstar;
let tate: FakeTateatate;
const directories: string[] = [];

beforeAll(async () => {
  [laiye, cybot, tate] = await Promise.all([startFakeLaiye(), startFakeCybotstar(), startFakeTateatate()]);
});
afterAll(async () => {
  await Promise.all([laiye.close(), cybot.close(), tate.close()]);
});
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A bridge whose config file routes robots to the fake peers, with a model as the default source. */
async function start(
  extra = '',
  env: Record<string, string> = {},
  hosts: { cybot?: string; tate?: string } = {},
): Promise<Bridge> {
  const directory = mkdtempSync(join(tmpdir(), 'bridge-peers-'));
  directories.push(directory);
  const file = join(directory, 'bridge.yaml');
  writeFileSync(
    file,
    `
peers:
  laiye-shop:
    platform: laiye
    endpoint: ${laiye.baseUrl}
    agent_id: agent-1
    channel_id: channel-1
    pubkey: \${LAIYE_PUBKEY}
    secret: \${LAIYE_SECRET}
    create_users: true
    timeout_ms: 400
  cybot:
    platform: cybotstar
    domain: ${hosts.cybot ?? cybot.baseUrl}
    robot_key: ${cybot.key}
    robot_token: ${cybot.token}
    heartbeat_ms: 1000
    timeout_ms: 3000
  tate:
    platform: tateatate
    base_url: ${hosts.tate ?? tate.baseUrl}
    bot_id: ${tate.botId}
    secret_key: ${tate.secretKey}
routes:
  robots:
    robot-laiye: { source: laiye-shop, fallback: [default] }
    robot-cybot: { source: cybot }
    robot-tate: { source: tate }
    robot-laiye-only: { source: laiye-shop, fallback: [fallback-text] }
    robot-local-first: { source: default, fallback: [tate] }
circuit_failures: 2
circuit_open_seconds: 60
${extra}`,
  );
  return harness.start({
    env: harness.llmEnv({
      BRIDGE_CONFIG: file,
      LAIYE_PUBKEY: laiye.pubkey,
      LAIYE_SECRET: laiye.secret,
      FALLBACK_TEXT: 'Sorry, no answer right now.',
      OPENAI_MAX_RETRIES: '0',
      ...env,
    }),
  });
}

async function ask(
  bridge: Bridge,
  mode: 'json' | 'sse',
  fields: Record<string, unknown>,
): Promise<ThirdAlgorithmResponseItem[]> {
  const body = round(fields);
  return mode === 'sse' ? (await bridge.askStream(body)).items : ((await bridge.ask(body)).envelope.data ?? []);
}
const text = (items: ThirdAlgorithmResponseItem[]) =>
  items
    .filter((item) => item.robot_answer_message_type === 'MESSAGE')
    .map((item) => item.llm_answer)
    .join('');

describe.each(['json', 'sse'] as const)('Laiye (%s)', (mode) => {
  it('answers with a signed getReply on the published bot, registering the visitor once', async () => {
    const bridge = await start();
    laiye.script({
      body: { replies: [{ text: { content: 'Hi from Laiye.' } }, { text: { content: 'Anything else?' } }] },
    });
    const before = laiye.calls.length;
    const items = await ask(bridge, mode, { robotid: 'robot-laiye', ai_agent_cid: `laiye-${mode}`, question: 'hello' });
    expect(text(items)).toBe('Hi from Laiye.\nAnything else?');
    expect(items.at(-1)).toMatchObject({ answer_type: 'GENERAL', success: true });
    const calls = laiye.calls.slice(before);
    expect(calls.map((call) => call.path)).toEqual([
      '/chatbot/v1alpha1/agents/agent-1/channels/channel-1/users/mutate',
      '/chatbot/v1alpha1/agents/agent-1/channels/channel-1/environments/PRODUCT/getReply',
    ]);
    expect(calls[1]?.body).toEqual({ username: `laiye-${mode}`, query: { text: { content: 'hello' } } });
    await ask(bridge, mode, { robotid: 'robot-laiye', ai_agent_cid: `laiye-${mode}`, question: 'again' });
    expect(laiye.calls.slice(before).filter((call) => call.path.endsWith('/users/mutate'))).toHaveLength(1);
  });
});

describe('Laiye', () => {
  it('uses the draft bot (SKETCH) for Sobot debug robots, and keeps the raw reply with the round', async () => {
    const bridge = await start();
    const body = round({ robotid: 'robot-laiye', robot_model: 'THIRD_DEBUG', question: 'test' });
    await bridge.ask(body);
    expect(laiye.calls.at(-1)?.path).toContain('/environments/SKETCH/getReply');
    expect(storedRound(bridge, body.roundid)).toMatchObject({
      answer_source: 'laiye-shop (laiye)',
      peer_raw: expect.stringContaining('laiye-shop: {"replies"'),
    });
  });

  it('turns quick replies into buttons whose click goes back to Laiye', async () => {
    const bridge = await start();
    laiye.script({
      body: {
        replies: [{ text: { content: 'Which order?' } }],
        // A label too long for a button is left out rather than losing the other buttons.
        quickReplies: [
          { content: 'Latest order' },
          { content: 'An order I placed some months ago from another account' },
          { content: 'Older order' },
        ],
      },
    });
    const cid = 'laiye-quick';
    const items = await ask(bridge, 'json', { robotid: 'robot-laiye', ai_agent_cid: cid, question: 'my order' });
    const closing = items.at(-1)!;
    expect(closing).toMatchObject({
      robot_answer_message_type: 'THIRD_PROCESS_INFO',
      third_variable_value_enums: ['Latest order', 'Older order'],
    });
    await ask(bridge, 'json', {
      robotid: 'robot-laiye',
      ai_agent_cid: cid,
      input_type_enum: 'PROCESS_CLICK',
      process_info: {
        process_id: closing.third_processid,
        node_id: closing.third_nodeid,
        variable_id: closing.third_variable_id,
        variable_value: 'Older order',
      },
    });
    expect(laiye.calls.at(-1)?.body).toMatchObject({ query: { text: { content: 'Older order' } } });
  });

  it('falls back along the route on an auth failure, a malformed reply or a timeout', async () => {
    for (const failure of [{ status: 401 }, { raw: '<html>oops</html>' }, { stallMs: 1500 }]) {
      // A bridge each: two failures in a row would open the circuit, and the third would never reach Laiye.
      const bridge = await start();
      const calls = laiye.calls.length;
      laiye.script(failure);
      harness.llm.script({ kind: 'stream', chunks: ['The model answered instead.'] });
      const items = await ask(bridge, 'json', { robotid: 'robot-laiye', question: 'hello' });
      expect(text(items)).toBe('The model answered instead.');
      expect(laiye.calls.length).toBeGreaterThan(calls);
      expect(laiye.unused()).toBe(0);
    }
  });

  it('gives the fallback text when the route says so, and stops calling a peer whose circuit is open', async () => {
    const bridge = await start();
    laiye.script({ status: 500 }, { status: 500 });
    for (let attempt = 0; attempt < 2; attempt++) {
      const items = await ask(bridge, 'json', { robotid: 'robot-laiye-only', question: 'hello' });
      expect(text(items)).toBe('Sorry, no answer right now.');
      expect(items.at(-1)).toMatchObject({ answer_type: 'UNKNOWN', success: false });
    }
    const calls = laiye.calls.length;
    const skipped = await ask(bridge, 'json', { robotid: 'robot-laiye-only', question: 'hello' });
    expect(text(skipped)).toBe('Sorry, no answer right now.');
    expect(laiye.calls.length).toBe(calls);
  });
});

describe('the circuit breaker', () => {
  it('does not count a round the caller gave up on against the peer', async () => {
    const bridge = await start();
    // circuit_failures is 2: two hang-ups counted as failures would shut the peer out.
    for (const roundid of ['gave-up-1', 'gave-up-2']) {
      laiye.script({ stallMs: 300 });
      const body = round({ robotid: 'robot-laiye-only', roundid, question: 'hello' });
      await bridge.post(body, { signal: AbortSignal.timeout(100) }).catch(() => undefined);
      await waitFor(() => storedRound(bridge, roundid)?.status === 'aborted', `round ${roundid} stored as aborted`);
    }
    laiye.script({ body: { replies: [{ text: { content: 'Still here.' } }] } });
    expect(text(await ask(bridge, 'json', { robotid: 'robot-laiye-only', question: 'hello' }))).toBe('Still here.');
    expect(laiye.unused()).toBe(0);
  });
});

describe('CybotStar', () => {
  it('answers non-streaming rounds over HTTP and keeps the segment_code for the conversation', async () => {
    const bridge = await start();
    const cid = 'cybot-http';
    const first = await ask(bridge, 'json', { robotid: 'robot-cybot', ai_agent_cid: cid, question: 'hi' });
    expect(text(first)).toBe('Cybot heard: hi');
    expect(cybot.httpCalls.at(-1)?.body).toEqual({ username: cid, question: 'hi' });
    await ask(bridge, 'json', { robotid: 'robot-cybot', ai_agent_cid: cid, question: 'and?' });
    expect(cybot.httpCalls.at(-1)?.body).toEqual({ username: cid, question: 'and?', segment_code: 'seg-1' });
  });

  it('turns rich answers into readable text', async () => {
    const bridge = await start();
    cybot.nextHttp = { data: { type: 'json', answer: { type: 'markdown', data: '**Bold** answer' } } };
    expect(text(await ask(bridge, 'json', { robotid: 'robot-cybot', question: 'md' }))).toBe('**Bold** answer');
    cybot.nextHttp = {
      data: { type: 'json', Answer: { type: 'online_search', description: 'Found 3 pages about tents.' } },
    };
    expect(text(await ask(bridge, 'json', { robotid: 'robot-cybot', question: 'search' }))).toBe(
      'Found 3 pages about tents.',
    );
  });

  it('ends with the fallback when the WebSocket handshake never completes, heartbeats not sent before it', async () => {
    // A server that takes the connection and never answers the upgrade: a heartbeat sent while connecting
    // throws in its timer, which would end the process.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const bridge = await start('', {}, { cybot: `http://127.0.0.1:${port}` });
      const items = await ask(bridge, 'sse', { robotid: 'robot-cybot', question: 'hello?' });
      expect(text(items)).toBe('Sorry, no answer right now.');
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('streams over the WebSocket dialog: chunks as deltas, side frames kept aside, heartbeats sent', async () => {
    const bridge = await start();
    cybot.finishDelayMs = 1300;
    try {
      const heartbeats = cybot.heartbeats;
      const items = await ask(bridge, 'sse', {
        robotid: 'robot-cybot',
        ai_agent_cid: 'cybot-ws',
        question: 'stream please',
      });
      expect(items.map((item) => [item.robot_answer_message_type, item.llm_answer, item.message_end])).toEqual([
        ['MESSAGE', 'Streaming ', false],
        ['MESSAGE', 'from ', false],
        ['MESSAGE', 'Cybot.', false],
        ['MESSAGE', '', true],
        ['THIRD_ANSWER_INFO', '', true],
      ]);
      expect(cybot.wsCalls.at(-1)?.body).toEqual({
        'cybertron-robot-key': cybot.key,
        'cybertron-robot-token': cybot.token,
        username: 'cybot-ws',
        question: 'stream please',
      });
      expect(cybot.heartbeats).toBeGreaterThan(heartbeats);
    } finally {
      cybot.finishDelayMs = 120;
    }
  });

  it('fails over an error code to the fallback text (no fallback configured)', async () => {
    const bridge = await start();
    cybot.nextHttp = { code: '500001' };
    const items = await ask(bridge, 'json', { robotid: 'robot-cybot', question: 'x' });
    expect(text(items)).toBe('Sorry, no answer right now.');
  });

  it('fails over an HTTP reply of the wrong shape, naming it malformed', async () => {
    const replies = [
      { message: 'success', data: { answer: 'No code.' } },
      { code: '000000', message: 'success', data: { answer: 42 } },
      { code: '000000', message: 'success', data: 'not an object' },
    ];
    for (const [index, reply] of replies.entries()) {
      // A bridge each: two failures in a row would open the circuit.
      const bridge = await start();
      cybot.nextHttp = { reply };
      const roundid = `cybot-malformed-http-${index}`;
      const items = await ask(bridge, 'json', { robotid: 'robot-cybot', roundid, question: 'x' });
      expect(text(items)).toBe('Sorry, no answer right now.');
      expect(storedRound(bridge, roundid)?.error).toContain('CybotStar sent a malformed reply');
    }
  });

  it('fails a WebSocket dialog over a frame of the wrong shape: the fallback before any text, ERROR_END after', async () => {
    const base = { code: '000000', dialog_id: 'd3', segment_code: 'seg-1', type: 'string' };
    const before = await start();
    cybot.nextFrames = [
      { ...base, index: 0, data: 42, finish: 'n' },
      { ...base, index: 1, data: 'Never shown.', finish: 'y' },
    ];
    const fellBack = await ask(before, 'sse', { robotid: 'robot-cybot', roundid: 'cybot-frame-first', question: 'x' });
    expect(text(fellBack)).toBe('Sorry, no answer right now.');
    expect(storedRound(before, 'cybot-frame-first')?.error).toContain('CybotStar sent a malformed frame');

    const after = await start();
    cybot.nextFrames = [
      { ...base, index: 0, data: 'Half ', finish: 'n' },
      { ...base, index: 1, data: 42, finish: 'n' },
      { ...base, index: 2, data: 'Half answer', finish: 'y' },
    ];
    const broken = await ask(after, 'sse', { robotid: 'robot-cybot', question: 'x' });
    expect(broken.map((item) => [item.robot_answer_message_type, item.llm_answer])).toEqual([
      ['MESSAGE', 'Half '],
      ['ERROR_END', ''],
    ]);
  });

  it('passes over side frames of any shape and JSON that is not a frame', async () => {
    const base = { code: '000000', dialog_id: 'd4', type: 'string' };
    const bridge = await start();
    cybot.nextFrames = [
      // Undocumented side data may name its fields as it likes.
      { code: { nested: true }, message: ['accepted'], type: 7, index: -1, data: { hits: [] }, finish: false },
      'pong',
      1,
      null,
      { ...base, index: 0, data: 'Still ', finish: 'n' },
      { ...base, index: 1, data: 'answered.', finish: 'n' },
      { ...base, index: 2, data: 'Still answered.', finish: 'y' },
    ];
    const items = await ask(bridge, 'sse', { robotid: 'robot-cybot', roundid: 'cybot-side-frames', question: 'x' });
    expect(text(items)).toBe('Still answered.');
    expect(storedRound(bridge, 'cybot-side-frames')?.status).toBe('succeeded');
  });
});

describe.each(['json', 'sse'] as const)('tate-a-tate (%s)', (mode) => {
  it('answers with the documented header, and reuses the conversationId it hands out', async () => {
    const bridge = await start();
    const cid = `tate-${mode}`;
    const first = await ask(bridge, mode, { robotid: 'robot-tate', ai_agent_cid: cid, question: 'good morning' });
    expect(text(first)).toBe('Tate says: good morning');
    expect(tate.calls.at(-1)?.body).toEqual({
      conversationId: '',
      msg: 'good morning',
      msgType: 1,
      parentMsgId: '0',
      reqModel: mode === 'sse' ? 'stream' : 'sync',
      userAction: 'new',
    });
    const handedOut = tate.calls.at(-1)?.conversationId;
    expect(handedOut).toMatch(/^conv-\d+$/);
    await ask(bridge, mode, { robotid: 'robot-tate', ai_agent_cid: cid, question: 'again' });
    expect(tate.calls.at(-1)?.body.conversationId).toBe(handedOut);
    if (mode === 'sse')
      expect(first.filter((item) => item.robot_answer_message_type === 'MESSAGE').length).toBeGreaterThan(2);
  });

  it('falls back when the platform refuses', async () => {
    const bridge = await start();
    tate.refuseNext();
    const items = await ask(bridge, mode, { robotid: 'robot-tate', question: 'x' });
    expect(text(items)).toBe('Sorry, no answer right now.');
  });

  it('falls back over a reply of the wrong shape instead of crashing', async () => {
    const replies = [null, { success: true, object: { msgContent: 'Hi.', conversationId: { id: 7 } } }];
    for (const [index, reply] of replies.entries()) {
      // A bridge each: two failures in a row would open the circuit.
      const bridge = await start();
      tate.replyNext(reply);
      const roundid = `tate-malformed-${mode}-${index}`;
      const items = await ask(bridge, mode, { robotid: 'robot-tate', roundid, question: 'x' });
      expect(text(items)).toBe('Sorry, no answer right now.');
      expect(storedRound(bridge, roundid)?.error).toContain('tate-a-tate sent a malformed');
    }
  });
});

describe('tate-a-tate stream framing', () => {
  const frame = (msgContent: string) => JSON.stringify({ success: true, object: { msgContent, conversationId: 'c' } });
  const streamed = async (roundid: string) => {
    const bridge = await start();
    const items = await ask(bridge, 'sse', { robotid: 'robot-tate', roundid, question: 'x' });
    return { text: text(items), status: storedRound(bridge, roundid)?.status };
  };

  it('reads an event whose JSON spans two data: lines, which SSE joins with a line break', async () => {
    const json = frame('One event, two lines.');
    const comma = json.indexOf(',') + 1;
    tate.streamNext(`data: ${json.slice(0, comma)}\ndata: ${json.slice(comma)}\n\n`);
    expect(await streamed('tate-two-data-lines')).toEqual({ text: 'One event, two lines.', status: 'succeeded' });
  });

  it('reads events with comments, names and [DONE], and frames run together without a blank line', async () => {
    tate.streamNext(
      `: ping\n\nevent: message\r\ndata: ${frame('Run ')}\r\ndata: ${frame('Run together.')}\r\n\r\ndata: [DONE]\n\n`,
    );
    expect(await streamed('tate-sse-extras')).toEqual({ text: 'Run together.', status: 'succeeded' });
  });

  it('passes each frame on as it comes, from a server that leaves out the blank lines too', async () => {
    const steps = tate.streamInSteps([`data: ${frame('Hel')}\n`, `data: ${frame('Hello.')}\n`]);
    const bridge = await start();
    const body = round({ robotid: 'robot-tate', roundid: 'tate-in-steps', question: 'x', req_stream: true });
    const reader = (await bridge.post(body)).body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    // The peer sends nothing more until the first frame's text has reached Sobot: held back, this never ends.
    while (!received.includes('"llm_answer":"Hel"')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before the first frame's text: ${received}`);
      received += decoder.decode(value, { stream: true });
    }
    steps.next();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      received += decoder.decode(chunk.value, { stream: true });
    }
    expect(received).toContain('"llm_answer":"lo."');
    expect(storedRound(bridge, body.roundid)).toMatchObject({ status: 'succeeded', answer_text: 'Hello.' });
  });

  it('reads a stream that is not SSE one JSON value per line', async () => {
    tate.streamNext(`${frame('One ')}\nnot json\n\n${frame('One line at a time.')}\n`, 'text/plain; charset=utf-8');
    expect(await streamed('tate-ndjson')).toEqual({ text: 'One line at a time.', status: 'succeeded' });
  });
});

describe('routing', () => {
  it('leaves robots without a route to the knowledge base and model', async () => {
    const bridge = await start();
    harness.llm.script({ kind: 'stream', chunks: ['From the model.'] });
    const body = round({ robotid: 'some-other-robot', question: 'hello' });
    expect((await bridge.ask(body)).envelope.data?.[0]?.llm_answer).toBe('From the model.');
    expect(storedRound(bridge, body.roundid)?.answer_source).toBe('llm');
  });

  it('does not follow a peer’s redirect: its credentials stay with the configured host', async () => {
    const redirector = await startRedirectServer(tate.baseUrl);
    try {
      const bridge = await start('', {}, { tate: redirector.baseUrl });
      const before = tate.calls.length;
      const body = round({ robotid: 'robot-tate', question: 'hello' });
      expect(text((await bridge.ask(body)).envelope.data ?? [])).toBe('Sorry, no answer right now.');
      expect(storedRound(bridge, body.roundid)?.error).toContain('HTTP 307');
      expect(tate.calls.length).toBe(before);
    } finally {
      await redirector.close();
    }
  });

  it('takes a robotid named after a builtin of every object for a robot without a route', async () => {
    const bridge = await start();
    for (const robotid of ['constructor', '__proto__', 'hasOwnProperty']) {
      harness.llm.script({ kind: 'stream', chunks: ['From the model.'] });
      const body = round({ robotid, question: 'hello' });
      const reply = await bridge.ask(body);
      expect(reply.status).toBe(200);
      expect(reply.envelope.data?.[0]?.llm_answer).toBe('From the model.');
      expect(storedRound(bridge, body.roundid)?.status).toBe('succeeded');
    }
  });

  it('records only what the source that answered drew on, not the knowledge of one that failed first', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'bridge-peers-knowledge-'));
    directories.push(directory);
    writeFileSync(
      join(directory, 'warranty.md'),
      '# Warranty\n\nEvery tent has a two-year warranty against defects in materials and workmanship.\n',
    );
    const bridge = await start('', { KNOWLEDGE_DIR: directory });
    // The knowledge grounds the model, which then fails before any text: the route falls back to tate-a-tate.
    harness.llm.script({ kind: 'status', status: 500 });
    const body = round({ robotid: 'robot-local-first', question: 'What does the tent warranty cover?' });
    const items = (await bridge.ask(body)).envelope.data ?? [];
    expect(text(items)).toBe('Tate says: What does the tent warranty cover?');
    const stored = storedRound(bridge, body.roundid);
    expect(stored?.answer_source).toContain('tate');
    expect(JSON.parse(String(stored?.sources))).toEqual([]);
  });

  it('refuses a config file whose route names an unknown source', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'bridge-peers-'));
    directories.push(directory);
    const file = join(directory, 'bridge.yaml');
    writeFileSync(file, 'routes:\n  robots:\n    r1: { source: nowhere }\n');
    await expect(harness.start({ env: { BRIDGE_CONFIG: file } })).rejects.toThrow(
      /bridge\.yaml:3: routes\.robots\.r1\.source: no source "nowhere"/,
    );
  });
});
