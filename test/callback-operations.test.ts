import { spawnSync } from 'node:child_process';
import BetterSqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { round, storedRound, type Bridge } from './helpers/bridge.js';
import { useFakeSobot } from './helpers/sobot-harness.js';
import { useTestHarness } from './helpers/test-harness.js';
import { waitFor } from './helpers/wait-for.js';

const harness = useTestHarness();
const fakeSobot = useFakeSobot(harness);
const sobotEnv = fakeSobot.env;

/** Runs one statement on the bridge's database file: rows for a query, [] for a write. */
function sql(bridge: Bridge, statement: string, ...params: unknown[]) {
  const sqlite = new BetterSqlite(bridge.databasePath);
  try {
    const prepared = sqlite.prepare(statement);
    if (!prepared.reader) {
      prepared.run(...params);
      return [];
    }
    return prepared.all(...params) as Array<Record<string, unknown>>;
  } finally {
    sqlite.close();
  }
}

function cli(bridge: Bridge, ...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/callbacks.ts', ...args], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { PATH: process.env.PATH ?? '', DATABASE_PATH: bridge.databasePath },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('abandoned rounds that owe a callback', () => {
  it('a copilot round cut by shutdown is answered again at the next start, and called back once', async () => {
    const first = await harness.start({ env: sobotEnv() });
    harness.llm.script({ kind: 'stall', chunks: ['thinking'] });
    const body = round({ copilot: true });
    await first.post(body);
    await waitFor(
      () => harness.llm.calls.length > 0 && storedRound(first, body.roundid)?.status === 'running',
      'the round to start',
    );
    await first.stop(); // The shutdown grace in the test helper ends and aborts it.
    expect(storedRound(first, body.roundid)?.status).toBe('aborted');
    expect(fakeSobot.sobot.accepted).toHaveLength(0);

    harness.llm.script({ kind: 'stream', chunks: ['Recovered answer'] });
    const second = await harness.start({ env: sobotEnv(), databasePath: first.databasePath });
    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'the recovered callback');
    expect(fakeSobot.sobot.accepted[0]?.body).toMatchObject({
      algorithm_resp_vos: [{ llm_answer: 'Recovered answer' }, { robot_answer_message_type: 'THIRD_ANSWER_INFO' }],
    });
    expect(storedRound(second, body.roundid)).toMatchObject({ status: 'succeeded', attempt: 2 });
  });

  it('a batch round left running by a crashed process is answered again once it is stale', async () => {
    const first = await harness.start({ env: sobotEnv({ SOBOT_APPID: '' }) });
    const body = round({ runtimeid: 'run-x', questionid: 'q-x' });
    await first.ask(body);
    await first.stop();
    // What a kill -9 mid-answer leaves behind: a round still marked running long ago, nothing queued.
    sql(first, "update rounds set status = 'running', items = null, updated_at = 0 where roundid = ?", body.roundid);
    sql(first, 'delete from callbacks');

    const second = await harness.start({ env: sobotEnv(), databasePath: first.databasePath });
    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'the recovered batch callback');
    expect(fakeSobot.sobot.accepted[0]).toMatchObject({
      kind: 'batch',
      body: { runtimeid: 'run-x', questionid: 'q-x', success: true },
    });
    expect(storedRound(second, body.roundid)).toMatchObject({ status: 'succeeded', attempt: 2 });
  });

  it('more of them than one sweep takes are all answered again at the next start, not 20 per 30 s', async () => {
    const first = await harness.start({ env: sobotEnv() });
    harness.llm.respondWith(() => ({ kind: 'stall', chunks: [] }));
    const bodies = Array.from({ length: 45 }, () => round({ copilot: true }));
    for (const body of bodies) await first.post(body);
    await waitFor(
      () => bodies.every((body) => storedRound(first, body.roundid)?.status === 'running'),
      'the rounds to start',
    );
    await first.stop(); // The shutdown grace in the test helper ends and aborts them.
    harness.llm.respondWith(undefined);

    await harness.start({ env: sobotEnv(), databasePath: first.databasePath });
    await waitFor(() => fakeSobot.sobot.accepted.length === bodies.length, 'every recovered callback');
    expect(new Set(fakeSobot.sobot.accepted.map((callback) => callback.roundid))).toEqual(
      new Set(bodies.map((body) => body.roundid)),
    );
    // One token served them all: fetched once, then cached.
    expect(fakeSobot.sobot.tokenRequests).toHaveLength(1);
  });

  it('rounds that owe nothing are left for Sobot to retry', async () => {
    const first = await harness.start({ env: sobotEnv() });
    const body = round();
    await first.ask(body);
    await first.stop();
    sql(first, "update rounds set status = 'aborted' where roundid = ?", body.roundid);
    const calls = harness.llm.calls.length;
    const second = await harness.start({ env: sobotEnv(), databasePath: first.databasePath });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(harness.llm.calls.length).toBe(calls);
    expect(storedRound(second, body.roundid)?.status).toBe('aborted');
  });
});

describe('npm run callbacks', () => {
  it('lists callbacks, requeues a dead one, and the service then delivers it', async () => {
    const first = await harness.start({ env: sobotEnv() });
    fakeSobot.sobot.failNext(2, { kind: 'http', status: 400 });
    await first.ask(round({ runtimeid: 'r', questionid: '1' }));
    await first.ask(round({ runtimeid: 'r', questionid: '2' }));
    await waitFor(() => sql(first, "select * from callbacks where status = 'dead'").length === 2, 'two dead callbacks');
    await first.stop();

    const listed = cli(first, 'list', '--status', 'dead');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('pending: 0   delivered: 0   dead: 2');
    expect(listed.stdout).toMatch(/^1\s+batch\s+dead\s+1\s+/m);
    expect(listed.stdout).toContain('HTTP 400');

    const json = JSON.parse(cli(first, 'list', '--json').stdout) as {
      callbacks: Array<{ id: number; status: string }>;
    };
    expect(json.callbacks.map((callback) => [callback.id, callback.status])).toEqual([
      [2, 'dead'],
      [1, 'dead'],
    ]);

    expect(cli(first, 'retry', '1')).toMatchObject({ code: 0, stdout: 'callback 1 queued again\n' });
    expect(sql(first, 'select status, attempts from callbacks where id = 1')).toEqual([
      { status: 'pending', attempts: 0 },
    ]);
    expect(cli(first, 'retry-dead')).toMatchObject({ code: 0, stdout: '1 dead callback queued again\n' });

    const second = await harness.start({ env: sobotEnv(), databasePath: first.databasePath });
    await waitFor(() => fakeSobot.sobot.accepted.length === 2, 'both callbacks delivered');
    expect(sql(second, 'select status from callbacks order by id')).toEqual([
      { status: 'delivered' },
      { status: 'delivered' },
    ]);
  });

  it('explains bad usage with exit code 2', async () => {
    const bridge = await harness.start({ env: sobotEnv() });
    expect(cli(bridge, 'frobnicate')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command') });
    expect(cli(bridge, 'retry')).toMatchObject({ code: 2, stderr: expect.stringContaining('needs a callback id') });
    expect(cli(bridge, 'list', '--status', 'lost')).toMatchObject({ code: 2 });
    expect(cli(bridge, 'retry', '999')).toMatchObject({ code: 1, stderr: expect.stringContaining('not requeued') });
  });
});
