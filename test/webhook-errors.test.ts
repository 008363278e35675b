import BetterSqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeSchema } from '../src/sobot/schemas/response.js';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/fake-openai.js';
import { round, startBridge, type Bridge } from './helpers/bridge.js';

let llm: FakeOpenAI;
let bridge: Bridge;

beforeAll(async () => {
  llm = await startFakeOpenAI();
  bridge = await startBridge({ env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.baseUrl } });
});
afterAll(async () => {
  await bridge.stop();
  bridge.cleanup();
  await llm.close();
});

async function expectError(response: Response, status: number, messagePart: string) {
  expect(response.status).toBe(status);
  const envelope = envelopeSchema.parse(await response.json());
  expect(envelope.ret_code).not.toBe('000000');
  expect(envelope.ret_code).toBe(envelope.retCode);
  expect(envelope.ret_msg).toContain(messagePart);
  expect(envelope.data).toBeUndefined();
}

describe('bad input gets a 400 in the envelope, naming the problem', () => {
  const cases: Array<[string, unknown, string]> = [
    ['an empty body', '', 'request body is empty'],
    ['a body that is not JSON', '{"roundid": ', 'not valid JSON'],
    ['a JSON array', [round()], 'got an array'],
    ['a JSON string', '"hello"', 'got a string'],
    ['JSON null', 'null', 'got null'],
    ['a missing roundid', { ...round(), roundid: undefined }, 'roundid is required'],
    ['an empty roundid', round({ roundid: '  ' }), 'roundid must not be empty'],
    ['a missing ai_agent_cid', { ...round(), ai_agent_cid: undefined }, 'ai_agent_cid is required'],
    ['a roundid that is an object', round({ roundid: { id: 1 } }), 'roundid must be a string'],
    ['req_stream that is not a boolean', round({ req_stream: 'sometimes' }), 'req_stream: expected a boolean'],
    ['a question that is an object', round({ question: { text: 'hi' } }), 'question: expected a string'],
    [
      'context_validity_time that is text',
      round({ context_validity_time: 'soon' }),
      'context_validity_time: expected a number',
    ],
    [
      'a negative context_validity_time',
      round({ context_validity_time: -5 }),
      'context_validity_time: must not be negative',
    ],
    ['process_info that is a list', round({ process_info: [1, 2] }), 'process_info'],
    [
      'input_variable_infos that is not a list',
      round({ input_variable_infos: 'x' }),
      'input_variable_infos: expected a list',
    ],
    [
      'interface_info cards that are not a list',
      round({ interface_info: { custom_cards: 'x' } }),
      'interface_info.custom_cards: expected a list',
    ],
  ];
  for (const [name, body, message] of cases) {
    it(`rejects ${name}`, async () => {
      const callsBefore = llm.calls.length;
      await expectError(await bridge.post(body), 400, message);
      expect(llm.calls.length).toBe(callsBefore);
    });
  }

  it('rejects bad input in streaming requests the same way, not as a stream', async () => {
    const response = await bridge.post({ req_stream: true, ai_agent_cid: 'c' });
    expect(response.headers.get('content-type')).toContain('application/json');
    await expectError(response, 400, 'roundid is required');
  });
});

describe('size limit', () => {
  it('answers 413 for a body over 1 MiB', async () => {
    const body = JSON.stringify(round({ question: 'x'.repeat(1024 * 1024) }));
    await expectError(await bridge.post(body), 413, 'exceeds 1048576 bytes');
  });

  it('answers 413 for a chunked body over 1 MiB with no content-length', async () => {
    const big = new TextEncoder().encode(JSON.stringify(round({ question: 'y'.repeat(1100 * 1024) })));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < big.length; offset += 64 * 1024)
          controller.enqueue(big.slice(offset, offset + 64 * 1024));
        controller.close();
      },
    });
    const response = await fetch(`${bridge.url}/sobot/agent`, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    await expectError(response, 413, 'exceeds');
  });

  it('accepts a body of exactly 1 MiB, and refuses one byte more', async () => {
    const sized = (bytes: number) => {
      const body = round({ show_question: '' });
      const padding = bytes - Buffer.byteLength(JSON.stringify(body));
      return JSON.stringify({ ...body, show_question: 'z'.repeat(padding) });
    };
    llm.script({ kind: 'stream', chunks: ['fine'] });
    const limit = 1024 * 1024;
    expect(Buffer.byteLength(sized(limit))).toBe(limit);
    expect((await bridge.post(sized(limit))).status).toBe(200);
    await expectError(await bridge.post(sized(limit + 1)), 413, 'exceeds');
  });
});

describe('unknown routes', () => {
  it('answers 404 in the envelope', async () => {
    await expectError(await fetch(`${bridge.url}/sobot/agnet`, { method: 'POST' }), 404, 'POST /sobot/agent');
  });

  it('serves the health check', async () => {
    const response = await fetch(`${bridge.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });
});

describe('webhook token', () => {
  let guarded: Bridge;
  beforeAll(async () => {
    guarded = await startBridge({ env: { WEBHOOK_TOKEN: 's3cret-token', WELCOME_TEXT: 'hi' } });
  });
  afterAll(async () => {
    await guarded.stop();
    guarded.cleanup();
  });

  const welcome = () => round({ input_type_enum: 'WELCOME' });

  it('rejects a call without the token', async () => {
    await expectError(await guarded.post(welcome()), 401, 'missing webhook token');
  });

  it('rejects a wrong token in the query or header', async () => {
    await expectError(await guarded.post(welcome(), { query: '?token=s3cret-tokem' }), 401, 'invalid webhook token');
    await expectError(
      await guarded.post(welcome(), { headers: { authorization: 'Bearer nope' } }),
      401,
      'invalid webhook token',
    );
  });

  it('rejects before reading the body, so bad input without a token is still 401', async () => {
    await expectError(await guarded.post('not json'), 401, 'missing webhook token');
  });

  it('accepts the token as ?token= or as a bearer token', async () => {
    expect((await guarded.post(welcome(), { query: '?token=s3cret-token' })).status).toBe(200);
    expect((await guarded.post(welcome(), { headers: { authorization: 'Bearer s3cret-token' } })).status).toBe(200);
  });

  it('keeps the health check open', async () => {
    expect((await fetch(`${guarded.url}/healthz`)).status).toBe(200);
  });
});

describe('a database that cannot be written', () => {
  it('answers 503 "database unavailable" on the webhook, and recovers', async () => {
    const own = await startBridge({ env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.baseUrl } });
    // Another process holding SQLite's write lock past the bridge's 5 s busy timeout.
    const holder = new BetterSqlite(own.databasePath);
    holder.exec('BEGIN EXCLUSIVE');
    try {
      await expectError(await own.post(round()), 503, 'database unavailable');
      // The health check reads, and reading goes on past another process's write lock in WAL mode.
      expect((await fetch(`${own.url}/healthz`)).status).toBe(200);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect((await fetch(`${own.url}/healthz`)).status).toBe(200);
    expect((await own.ask(round())).status).toBe(200);
    await own.stop();
    own.cleanup();
  }, 20_000);
});
