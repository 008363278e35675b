import BetterSqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { envelopeSchema } from '../src/sobot/schemas/response.js';
import { round, storedRound, type Bridge } from './helpers/bridge.js';
import { useTestHarness } from './helpers/test-harness.js';

const harness = useTestHarness();

/** Makes every completion of a round fail in the database, as a full disk would. */
function breakCompletions(bridge: Bridge): () => void {
  const sqlite = new BetterSqlite(bridge.databasePath);
  sqlite.exec(`CREATE TRIGGER fail_completion BEFORE UPDATE OF status ON rounds WHEN NEW.status <> 'running'
    BEGIN SELECT RAISE(ABORT, 'database or disk is full (injected)'); END`);
  return () => {
    sqlite.exec('DROP TRIGGER fail_completion');
    sqlite.close();
  };
}

async function loggedBridge() {
  const lines: Array<Record<string, unknown>> = [];
  const bridge = await harness.start({
    env: harness.llmEnv({ LOG_LEVEL: 'info' }),
    logWrite: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { bridge, lines };
}

describe('a JSON round served over HTTP (Node)', () => {
  it('is answered, then stored with the time its reply went out', async () => {
    const { bridge } = await loggedBridge();
    harness.llm.script({ kind: 'stream', chunks: ['Three ', 'days.'] });
    const body = round({ question: 'How long does shipping take?' });
    const response = await bridge.post(body, { headers: { 'X-Request-Id': 'json-reply-1' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-request-id')).toBe('json-reply-1');
    const text = await response.text();
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    const envelope = envelopeSchema.parse(JSON.parse(text));
    expect(envelope.data!.map((item) => item.llm_answer).join('')).toContain('Three days.');

    const stored = storedRound(bridge, body.roundid)!;
    expect(stored).toMatchObject({ status: 'succeeded', answer_text: 'Three days.' });
    expect(stored.first_byte_ms).toEqual(expect.any(Number));
    expect(stored.first_byte_ms as number).toBeGreaterThanOrEqual(stored.latency_ms as number);
    // A repeat of the round replays what was stored: the same answer.
    const replay = envelopeSchema.parse(await (await bridge.post(body)).json());
    expect(replay.data).toEqual(envelope.data);
  });

  it('still reaches the visitor when its record cannot be written, and the failure is logged', async () => {
    const { bridge, lines } = await loggedBridge();
    const restore = breakCompletions(bridge);
    harness.llm.script({ kind: 'stream', chunks: ['Answered ', 'anyway.'] });
    const body = round();
    const response = await bridge.post(body);
    expect(response.status).toBe(200);
    const envelope = envelopeSchema.parse(await response.json());
    expect(envelope.data!.map((item) => item.llm_answer).join('')).toContain('Answered anyway.');
    expect(storedRound(bridge, body.roundid)).toMatchObject({ status: 'running' });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'round answered but not stored',
        roundid: body.roundid,
        error: expect.stringContaining('database or disk is full (injected)'),
      }),
    );
    restore();

    // The service goes on: the next round is answered and stored.
    harness.llm.script({ kind: 'stream', chunks: ['Next.'] });
    const next = round();
    expect((await bridge.ask(next)).status).toBe(200);
    expect(storedRound(bridge, next.roundid)).toMatchObject({ status: 'succeeded' });
  });

  it('is stored before its reply where the reply can only be returned (app.request): that fault is a 500', async () => {
    const { bridge } = await loggedBridge();
    const restore = breakCompletions(bridge);
    harness.llm.script({ kind: 'stream', chunks: ['Never sent.'] });
    const response = await bridge.runtime.app.request('/sobot/agent', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(round()),
    });
    restore();
    expect(response.status).toBe(500);
    const envelope = envelopeSchema.parse(await response.json());
    expect(JSON.stringify(envelope)).not.toContain('Never sent.');
    expect(JSON.stringify(envelope)).not.toContain('injected');
  });
});

describe('closing the runtime', () => {
  it("waits for a round's report, which follows its reply, before the database closes", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const bridge = await harness.start({
      env: { LOG_LEVEL: 'warn' },
      logWrite: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    const body = round({ question: 'hello' });
    // Through the app itself, not a socket: the reply is out and the report still to come when close() starts.
    const response = await bridge.runtime.app.fetch(
      new Request('http://bridge.test/sobot/agent', { method: 'POST', body: JSON.stringify(body) }),
    );
    expect(envelopeSchema.parse(await response.json()).ret_code).toBe('000000');
    await bridge.stop();
    expect(storedRound(bridge, body.roundid)?.first_byte_ms).toEqual(expect.any(Number));
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
  });
});
