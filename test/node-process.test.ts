import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/fake-openai.js';
import { startSilentServer } from './fakes/silent-server.js';
import { parseSse, round } from './helpers/bridge.js';
import { logLines, startBridgeProcess, type BridgeProcess } from './helpers/bridge-process.js';
import { waitFor } from './helpers/wait-for.js';

let llm: FakeOpenAI;
let directory: string;
let service: BridgeProcess | undefined;
beforeAll(async () => {
  llm = await startFakeOpenAI();
});
afterEach(() => {
  service?.process.kill('SIGKILL');
  service = undefined;
  rmSync(directory, { recursive: true, force: true });
});
afterAll(async () => {
  await llm.close();
});

const emptyDirectory = (path: string) => {
  mkdirSync(path);
  return path;
};

const envFor = (extra: Record<string, string> = {}) => {
  directory = mkdtempSync(join(tmpdir(), 'bridge-process-'));
  return {
    DATABASE_PATH: join(directory, 'nested', 'bridge.db'),
    KNOWLEDGE_DIR: emptyDirectory(join(directory, 'knowledge')),
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: llm.baseUrl,
    ...extra,
  };
};

describe('the Node process', () => {
  it('creates the database directory, migrates, and answers', async () => {
    service = startBridgeProcess(envFor());
    const url = await service.url;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const response = await fetch(`${url}/sobot/agent`, {
      method: 'POST',
      body: JSON.stringify(round({ question: 'ping' })),
    });
    expect(await response.json()).toMatchObject({ ret_code: '000000', data: [{ llm_answer: 'You said: ping.' }, {}] });
  }, 30_000);

  it('answers from the sample knowledge with no configuration but a database path', async () => {
    directory = mkdtempSync(join(tmpdir(), 'bridge-process-'));
    service = startBridgeProcess({ DATABASE_PATH: join(directory, 'bridge.db') });
    const url = await service.url;
    const response = await fetch(`${url}/sobot/agent`, {
      method: 'POST',
      body: JSON.stringify(round({ question: 'How long does shipping take?' })),
    });
    const body = (await response.json()) as { data: Array<{ llm_answer: string; answer_type: string }> };
    expect(body.data[0]?.llm_answer).toMatch(/business days/);
    expect(body.data[1]?.answer_type).toBe('QA_DIRECT');
  }, 30_000);

  it('on SIGTERM stops accepting, lets the round under way finish, and exits 0', async () => {
    service = startBridgeProcess(envFor());
    const url = await service.url;
    llm.script({ kind: 'stream', chunks: ['one ', 'two ', 'three'], intervalMs: 300 });
    const response = await fetch(`${url}/sobot/agent`, {
      method: 'POST',
      body: JSON.stringify(round({ req_stream: true })),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value, { stream: true });
    service.process.kill('SIGTERM');
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const items = parseSse(text);
    expect(items.map((item) => item.llm_answer).join('')).toBe('one two three');
    expect(items.at(-1)).toMatchObject({ robot_answer_message_type: 'THIRD_ANSWER_INFO', success: true });
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    const exit = await service.exit;
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('"message":"stopped"');
  }, 30_000);

  it('aborts rounds still under way when the grace period ends, ending their replies, and still exits cleanly', async () => {
    const env = envFor({ SHUTDOWN_GRACE_MS: '200' });
    service = startBridgeProcess(env);
    const url = await service.url;
    const callsBefore = llm.calls.length;
    llm.script(
      { kind: 'stream', chunks: ['slow ', 'answer'], intervalMs: 5000 },
      { kind: 'stream', chunks: ['half ', 'a sentence'], intervalMs: 5000 },
    );
    const streamed = round({ req_stream: true });
    const stream = await fetch(`${url}/sobot/agent`, { method: 'POST', body: JSON.stringify(streamed) });
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value, { stream: true });
    const json = round({ req_stream: false });
    const reply = fetch(`${url}/sobot/agent`, { method: 'POST', body: JSON.stringify(json) });
    await waitFor(() => llm.calls.length === callsBefore + 2, 'both model calls');
    service.process.kill('SIGTERM');
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += decoder.decode(chunk.value, { stream: true });
    }
    // The visitor still waiting is owed an end: the stream closes with ERROR_END, a JSON reply is the fallback.
    const items = parseSse(text);
    expect(items.map((item) => item.llm_answer).join('')).toBe('slow ');
    expect(items.at(-1)).toMatchObject({ robot_answer_message_type: 'ERROR_END', success: false });
    const envelope = (await (await reply).json()) as { data: Array<{ llm_answer: string; answer_type: string }> };
    expect(envelope.data.map((item) => item.answer_type)).toEqual(['UNKNOWN', 'UNKNOWN']);
    expect(envelope.data[0]!.llm_answer).toMatch(/^Sorry, I can't answer that right now/);

    const exit = await service.exit;
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('shutdown grace expired');
    const finished = logLines(exit.stdout).filter((line) => line.message === 'round finished');
    expect(finished.map((line) => [line.roundid, line.status, line.error])).toEqual(
      expect.arrayContaining([
        [streamed.roundid, 'aborted', 'aborted: the service is shutting down'],
        [json.roundid, 'aborted', 'aborted: the service is shutting down'],
      ]),
    );
    const sqlite = new Database(env.DATABASE_PATH, { readonly: true });
    const stored = sqlite.prepare('select status, answer_text, error from rounds where roundid = ?');
    expect(stored.get(streamed.roundid)).toEqual({
      status: 'aborted',
      answer_text: 'slow ',
      error: 'aborted: the service is shutting down',
    });
    expect(stored.get(json.roundid)).toMatchObject({
      status: 'aborted',
      error: 'aborted: the service is shutting down',
    });
    sqlite.close();
  }, 30_000);

  it('calls off an enterprise-interface call still under way when the grace period ends, and exits long before its timeout', async () => {
    // An order API that takes the request and never answers: the sample's 5000 ms timeout would end the call.
    const silent = await startSilentServer();
    const held = silent.calls;
    try {
      const env = envFor({
        BRIDGE_CONFIG: 'bridge.yaml',
        ORDER_API_URL: `${silent.baseUrl}/orders/lookup`,
        SHUTDOWN_GRACE_MS: '300',
      });
      service = startBridgeProcess(env);
      const url = await service.url;
      let exited = false;
      const exit = service.exit.finally(() => (exited = true));
      // The order number starts the order-status workflow, whose first step then calls order-lookup.
      const json = round({ question: 'Where is NW-111223?' });
      const reply = fetch(`${url}/sobot/agent`, { method: 'POST', body: JSON.stringify(json) });
      await waitFor(() => held.length === 1, 'the interface call');
      service.process.kill('SIGTERM');

      // Well within the interface's own 5 s: the round's abort, not the timeout, ends the call and the process.
      await waitFor(() => held[0]!.closed, 'the interface call to be called off', 3000);
      await waitFor(() => exited, 'the process to exit', 3000);
      const envelope = (await (await reply).json()) as { data: Array<{ llm_answer: string; answer_type: string }> };
      expect(envelope.data.map((item) => item.answer_type)).toEqual(['UNKNOWN', 'UNKNOWN']);
      expect(envelope.data[0]!.llm_answer).toMatch(/^Sorry, I can't answer that right now/);

      const { code, stdout } = await exit;
      expect(code).toBe(0);
      const lines = logLines(stdout);
      expect(lines.filter((line) => line.level === 'error')).toEqual([]);
      expect(lines.at(-1)).toMatchObject({ message: 'stopped' });
      const aborted = { status: 'aborted', error: 'aborted: the service is shutting down during an interface call' };
      expect(lines.filter((line) => line.message === 'round finished')).toEqual([
        expect.objectContaining({ roundid: json.roundid, source: 'workflow', ...aborted }),
      ]);
      const sqlite = new Database(env.DATABASE_PATH, { readonly: true });
      const stored = sqlite.prepare('select status, error from rounds where roundid = ?').get(json.roundid);
      sqlite.close();
      expect(stored).toEqual(aborted);
      expect(held).toHaveLength(1);
    } finally {
      await silent.close();
    }
  }, 30_000);

  it('refuses to start with one line naming what to fix: the database, the port, the config file', async () => {
    const failure = async (env: Record<string, string>) => {
      service = startBridgeProcess(env);
      const exit = await service.exit;
      expect(exit.code).toBe(1);
      // The operator's line, not a stack trace.
      expect(exit.stderr).not.toMatch(/^\s+at /m);
      return exit.stderr.trim();
    };
    const notADatabase = { ...envFor(), DATABASE_PATH: join(directory, 'bridge.db') };
    writeFileSync(notADatabase.DATABASE_PATH, 'not SQLite at all, but long enough to be read');
    expect(await failure(notADatabase)).toBe(
      `cannot use the database at ${notADatabase.DATABASE_PATH} (DATABASE_PATH): file is not a database`,
    );

    const taken: Server = await new Promise((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => resolve(server));
    });
    const port = (taken.address() as { port: number }).port;
    try {
      expect(await failure(envFor({ PORT: String(port) }))).toBe(
        `cannot listen on HOST=127.0.0.1 PORT=${port}: the port is in use (another bridge, or another service?)`,
      );
    } finally {
      taken.close();
    }

    const config = envFor();
    const missing = join(directory, 'brige.yaml');
    expect(await failure({ ...config, BRIDGE_CONFIG: missing })).toBe(
      `Invalid config file:\n${missing} (BRIDGE_CONFIG): no such file`,
    );
  }, 30_000);

  it('refuses to start on a database it may read but not write', async (context) => {
    const env = envFor();
    service = startBridgeProcess(env);
    await service.url;
    service.process.kill('SIGTERM');
    await service.exit;
    // Root writes past file modes, so the file is made immutable; where that is not allowed, this cannot be set up.
    if (spawnSync('chattr', ['+i', env.DATABASE_PATH]).status !== 0) return context.skip();
    try {
      service = startBridgeProcess(env);
      const exit = await service.exit;
      expect(exit.code).toBe(1);
      expect(exit.stderr.trim()).toBe(
        `cannot use the database at ${env.DATABASE_PATH} (DATABASE_PATH): attempt to write a readonly database`,
      );
    } finally {
      spawnSync('chattr', ['-i', env.DATABASE_PATH]);
    }
  }, 30_000);

  it('warns when a newer build migrated the database', async () => {
    const env = envFor();
    service = startBridgeProcess(env);
    await service.url;
    service.process.kill('SIGTERM');
    await service.exit;
    const sqlite = new Database(env.DATABASE_PATH);
    sqlite.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run('from-a-newer-build', 4e12);
    sqlite.close();

    service = startBridgeProcess(env);
    await service.url;
    service.process.kill('SIGTERM');
    const exit = await service.exit;
    expect(exit.code).toBe(0);
    const lines = logLines(exit.stdout);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'the database was migrated by a newer build than this one',
        newestMigrationApplied: new Date(4e12).toISOString(),
      }),
    );
    expect(lines.at(-1)).toMatchObject({ message: 'stopped' });
  }, 30_000);

  it('refuses to start on invalid configuration, naming the setting', async () => {
    service = startBridgeProcess(envFor({ PORT: 'eighty', OPENAI_BASE_URL: 'not a url' }));
    const exit = await service.exit;
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('Invalid configuration');
    expect(exit.stderr).toContain('PORT');
    expect(exit.stderr).toContain('OPENAI_BASE_URL');
  }, 30_000);
});
