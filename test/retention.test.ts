import BetterSqlite from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { startFakeTateatate, type FakeTateatate } from './fakes/fake-tateatate.js';
import { manualClock, round, storedRound, type Bridge } from './helpers/bridge.js';
import { captureLogs } from './helpers/log-capture.js';
import { scrape } from './helpers/scrape-metrics.js';
import { useFakeSobot } from './helpers/sobot-harness.js';
import { useTestHarness } from './helpers/test-harness.js';
import { waitFor } from './helpers/wait-for.js';

const harness = useTestHarness();
const fakeSobot = useFakeSobot(harness);
const DAY_MS = 86_400_000;
let tate: FakeTateatate;
const directories: string[] = [];

beforeAll(async () => {
  tate = await startFakeTateatate();
});
afterAll(async () => {
  await tate.close();
});
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A config file with a one-question workflow (a workflow session) and a robot answered by tate-a-tate (a peer session). */
function configFile(): string {
  const directory = mkdtempSync(join(tmpdir(), 'bridge-retention-'));
  directories.push(directory);
  const file = join(directory, 'bridge.yaml');
  writeFileSync(
    file,
    `
idle_seconds: 600
workflows:
  - id: feedback
    name: Feedback
    description: Takes the visitor's feedback.
    triggers: [feedback]
    start: ask-note
    nodes:
      ask-note:
        kind: ask-text
        prompt: What would you like to tell us?
        variable: note
        next: done
      done:
        kind: end
        text: Thank you.
peers:
  tate:
    platform: tateatate
    base_url: ${tate.baseUrl}
    bot_id: ${tate.botId}
    secret_key: ${tate.secretKey}
routes:
  robots:
    robot-tate: { source: tate }
`,
  );
  return file;
}

function count(bridge: Bridge, table: string): number {
  const sqlite = new BetterSqlite(bridge.databasePath, { readonly: true });
  try {
    return (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

function column(bridge: Bridge, sql: string): unknown[] {
  const sqlite = new BetterSqlite(bridge.databasePath, { readonly: true });
  try {
    return sqlite.prepare(sql).pluck().all();
  } finally {
    sqlite.close();
  }
}

describe('retention', () => {
  it('deletes what is past RETENTION_DAYS in batches, and keeps pending callbacks, their rounds and recent rows', async () => {
    const clock = manualClock(Date.now());
    const logger = captureLogs();
    const bridge = await harness.start({
      clock,
      logger,
      pruneBatchSize: 2,
      env: fakeSobot.env({
        BRIDGE_CONFIG: configFile(),
        RETENTION_DAYS: '2',
        // A callback Sobot never takes stays pending for the whole test, however far the clock moves.
        CALLBACK_MAX_AGE_SECONDS: String(30 * 86_400),
        CALLBACK_MAX_ATTEMPTS: '1000',
      }),
    });

    // Three days ago, on the bridge's clock: plain rounds, a delivered callback, a workflow and a peer session.
    const plain = ['old-a', 'old-b', 'old-c'].map((cid) => round({ ai_agent_cid: cid }));
    for (const body of plain) {
      harness.llm.script({ kind: 'stream', chunks: ['ok'] });
      expect((await bridge.ask(body)).envelope.ret_code).toBe('000000');
    }
    const delivered = round({ ai_agent_cid: 'old-batch', runtimeid: 'run-1', questionid: 'q-1' });
    harness.llm.script({ kind: 'stream', chunks: ['ok'] });
    await bridge.ask(delivered);
    await waitFor(() => fakeSobot.sobot.accepted.length === 1, 'the delivered batch callback');
    await bridge.ask(round({ ai_agent_cid: 'old-workflow', question: 'I have feedback' }));
    await bridge.ask(round({ ai_agent_cid: 'old-peer', robotid: 'robot-tate', question: 'Hi' }));
    expect(count(bridge, 'workflow_sessions')).toBe(1);
    expect(count(bridge, 'peer_sessions')).toBe(1);

    // A callback Sobot refuses: pending, so neither it nor its round nor its conversation may go.
    await fakeSobot.sobot.down({ kind: 'http', status: 503 });
    const pending = round({ ai_agent_cid: 'old-pending', runtimeid: 'run-2', questionid: 'q-2' });
    harness.llm.script({ kind: 'stream', chunks: ['ok'] });
    await bridge.ask(pending);

    clock.advance(3 * DAY_MS);
    // Today: a new round in one old conversation, and a new conversation.
    harness.llm.script({ kind: 'stream', chunks: ['ok'] }, { kind: 'stream', chunks: ['ok'] });
    const again = round({ ai_agent_cid: 'old-a' });
    const fresh = round({ ai_agent_cid: 'new' });
    await bridge.ask(again);
    await bridge.ask(fresh);

    const pruned = await bridge.runtime.pruneExpiredRows();
    // Seven rounds three days old; the pending one stays. Batches of two, so several ran.
    expect(pruned).toEqual({
      callbacks: 1,
      rounds: 6,
      conversations: 5,
      workflow_sessions: 1,
      peer_sessions: 1,
    });
    expect(column(bridge, 'select cid from rounds order by id')).toEqual(['old-pending', 'old-a', 'new']);
    expect(storedRound(bridge, pending.roundid as string)).toMatchObject({ status: 'succeeded' });
    expect(column(bridge, 'select status from callbacks')).toEqual(['pending']);
    expect(column(bridge, 'select cid from conversations order by cid')).toEqual(['new', 'old-a', 'old-pending']);
    expect(count(bridge, 'workflow_sessions')).toBe(0);
    expect(count(bridge, 'peer_sessions')).toBe(0);

    const line = logger.entries.find((entry) => entry.message === 'pruned rows past retention');
    expect(line).toMatchObject({ level: 'info', fields: { retentionDays: 2, rounds: 6, callbacks: 1 } });
    const samples = await scrape(bridge);
    expect(samples.get('sobot_bridge_rows_pruned_total{table="rounds"}')).toBe(6);
    expect(samples.get('sobot_bridge_rows_pruned_total{table="conversations"}')).toBe(5);

    // Nothing left to do: nothing deleted, nothing logged.
    expect(Object.values(await bridge.runtime.pruneExpiredRows())).toEqual([0, 0, 0, 0, 0]);
    expect(logger.entries.filter((entry) => entry.message === 'pruned rows past retention')).toHaveLength(1);

    // Once Sobot takes the callback, the round it belonged to can go.
    await fakeSobot.sobot.up();
    clock.advance(60_000);
    await waitFor(() => column(bridge, 'select status from callbacks')[0] === 'delivered', 'the late callback');
    expect(await bridge.runtime.pruneExpiredRows()).toMatchObject({ callbacks: 1, rounds: 1, conversations: 1 });
    expect(column(bridge, 'select cid from rounds order by id')).toEqual(['old-a', 'new']);
  });

  it('prunes on its own from the start, and a shutdown stops it between batches', async () => {
    // Rounds answered 40 days ago, on that day's clock.
    const earlier = await harness.start({ clock: manualClock(Date.now() - 40 * DAY_MS), env: harness.llmEnv() });
    for (let index = 0; index < 60; index++) await earlier.ask(round({ ai_agent_cid: `old-${index}` }));
    await earlier.stop();
    expect(count(earlier, 'rounds')).toBe(60);

    // Batches of one: 120 of them, with the event loop handed back between each.
    const stopped = await harness.start({ databasePath: earlier.databasePath, pruneBatchSize: 1 });
    await stopped.stop();
    const left = count(earlier, 'rounds');
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(60);

    const logger = captureLogs();
    const again = await harness.start({ databasePath: earlier.databasePath, pruneBatchSize: 1, logger });
    await waitFor(() => count(again, 'conversations') === 0, 'the rest pruned, unasked', 10_000);
    expect(count(again, 'rounds')).toBe(0);
    await waitFor(
      () => logger.entries.some((entry) => entry.message === 'pruned rows past retention'),
      'the pruned line',
    );
  });

  it('keeps everything with RETENTION_DAYS=0', async () => {
    const clock = manualClock(Date.now());
    const bridge = await harness.start({ clock, env: harness.llmEnv({ RETENTION_DAYS: '0' }) });
    harness.llm.script({ kind: 'stream', chunks: ['ok'] });
    await bridge.ask(round());
    clock.advance(400 * DAY_MS);
    expect(Object.values(await bridge.runtime.pruneExpiredRows())).toEqual([0, 0, 0, 0, 0]);
    expect(count(bridge, 'rounds')).toBe(1);
    expect(count(bridge, 'conversations')).toBe(1);
  });

  it('refuses a retention shorter than the context the model reads', () => {
    expect(() => parseConfig({ RETENTION_DAYS: '1', CONTEXT_WINDOW_SECONDS: String(2 * 86_400) })).toThrow(
      /RETENTION_DAYS: must be 0 \(keep everything\) or cover CONTEXT_WINDOW_SECONDS/,
    );
    expect(parseConfig({ RETENTION_DAYS: '2', CONTEXT_WINDOW_SECONDS: String(2 * 86_400) }).RETENTION_DAYS).toBe(2);
    expect(parseConfig({}).RETENTION_DAYS).toBe(30);
  });
});
