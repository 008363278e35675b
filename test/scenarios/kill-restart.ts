import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startFakeOpenAI, type ChatRequestBody } from '../fakes/fake-openai.js';
import { startFakeSobot, sobotEnv } from '../fakes/fake-sobot.js';
import { isolatedBridgeEnv, startBridgeProcess, type BridgeProcess } from '../helpers/bridge-process.js';
import { waitFor } from '../helpers/wait-for.js';
import { tallyCallbacks, type CallbackTally } from './callback-tally.js';
import { callbackRows, inspectDatabase, type DatabaseReport } from './database-check.js';
import { askRound, plannedRound, type PlannedRound } from './mixed-rounds.js';

export interface KillReport extends CallbackTally {
  /** Rounds answered before the kill, whose callbacks were still pending (Sobot was down). */
  finishedBeforeKill: number;
  /** Rounds the kill cut mid-answer. */
  cutByKill: number;
  /** Of those, copilot and batch rounds the restarted bridge answered again on its own. */
  recovered: number;
  /** Of those, rounds that owe nothing, answered afresh when Sobot retried them. */
  answeredOnRetry: number;
  /** Planned rounds not stored as answered at the end. */
  roundsLost: number;
  replyProblems: string[];
  /** 1 when the restarted bridge died before the end. */
  crashes: number;
  /** The database as the kill left it, and at the end. */
  afterKill: DatabaseReport;
  atEnd: DatabaseReport;
}

// The model's deadline; a round still running this long plus 30 s after it started lost its process.
const LLM_TIMEOUT_MS = 3000;
const STALE_AFTER_MS = LLM_TIMEOUT_MS + 30_000;

/**
 * kill -9 with work in every state: rounds answered whose callbacks wait for Sobot (down), and rounds
 * mid-answer (the model stalls). The bridge restarts on the same database once the cut rounds count
 * as abandoned; Sobot retries the cut rounds that owe no callback, then comes back. Every callback
 * must arrive exactly once, every round end up answered, and no row be corrupt.
 */
export async function runKillRestart(finished: number, inFlight: number): Promise<KillReport> {
  const llm = await startFakeOpenAI();
  const sobot = await startFakeSobot();
  const directory = mkdtempSync(join(tmpdir(), 'bridge-kill-'));
  const env = {
    ...isolatedBridgeEnv(directory, llm.baseUrl),
    LLM_FIRST_TOKEN_TIMEOUT_MS: String(LLM_TIMEOUT_MS),
    LLM_TOTAL_TIMEOUT_MS: String(LLM_TIMEOUT_MS),
    LLM_MAX_CONCURRENCY: String(inFlight + 16),
    ...sobotEnv(sobot),
    CALLBACK_TIMEOUT_MS: '500',
    CALLBACK_RETRY_BASE_MS: '50',
    CALLBACK_RETRY_MAX_MS: '500',
    CALLBACK_POLL_INTERVAL_MS: '200',
    CALLBACK_MAX_ATTEMPTS: '1000',
  };
  const processes: BridgeProcess[] = [];
  const start = async () => {
    const child = startBridgeProcess(env);
    processes.push(child);
    return { child, url: await child.url };
  };
  try {
    await sobot.down({ kind: 'refuse' });
    const first = await start();

    // Answered, callbacks pending.
    llm.respondWith(echo);
    const done = Array.from({ length: finished }, (_, index) => plannedRound('kill-done', index));
    const replies = await Promise.all(done.map((round) => askRound(first.url, round)));
    const owedBefore = done.reduce((sum, round) => sum + round.owes.length, 0);
    await waitFor(() => callbackRows(env.DATABASE_PATH).length === owedBefore, 'callbacks to be queued', 20_000);

    // Mid-answer: the model sends a little, then nothing more.
    llm.respondWith(() => ({ kind: 'stall', chunks: ['Partial '] }));
    const cut = Array.from({ length: inFlight }, (_, index) => plannedRound('kill-cut', index));
    const callsBefore = llm.calls.length;
    const lostReplies = cut.map((round) => askRound(first.url, round).catch(() => undefined));
    await waitFor(() => llm.calls.length - callsBefore === inFlight, 'every cut round to reach the model', 20_000);
    const killedAt = Date.now();
    first.child.process.kill('SIGKILL');
    await first.child.exit;
    await Promise.all(lostReplies);
    const afterKill = inspectDatabase(env.DATABASE_PATH);

    // Restart once the cut rounds count as abandoned, as a supervisor restarting later would.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, killedAt + STALE_AFTER_MS + 500 - Date.now())));
    llm.respondWith(echo);
    const second = await start();
    const owesCallback = (round: PlannedRound) => round.owes.length > 0;
    await waitFor(
      () => cut.filter(owesCallback).every((round) => roundStatus(env.DATABASE_PATH, round) === 'succeeded'),
      'the restarted bridge to answer the abandoned copilot and batch rounds',
      20_000,
    );
    const retried = await Promise.all(
      cut.filter((round) => !owesCallback(round)).map((round) => askRound(second.url, round)),
    );
    await sobot.up();
    const owed = [...done, ...cut].reduce((sum, round) => sum + round.owes.length, 0);
    await waitFor(
      () => {
        const rows = callbackRows(env.DATABASE_PATH);
        return rows.length === owed && rows.every((row) => row.status === 'delivered');
      },
      'every callback to be delivered once Sobot is back',
      30_000,
    );
    // A few more polls: a duplicate would show up now.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const atEnd = inspectDatabase(env.DATABASE_PATH);
    const crashes = second.child.process.exitCode === null ? 0 : 1;
    return {
      crashes,
      finishedBeforeKill: finished,
      cutByKill: inFlight,
      recovered: cut.filter((round) => owesCallback(round) && roundAttempt(env.DATABASE_PATH, round) === 2).length,
      answeredOnRetry: retried.filter((reply) => reply.problems.length === 0).length,
      roundsLost: finished + inFlight - (atEnd.roundsByStatus.succeeded ?? 0),
      replyProblems: [...replies, ...retried].flatMap((reply) => reply.problems),
      afterKill,
      atEnd,
      ...tallyCallbacks([...done, ...cut], sobot),
    };
  } finally {
    for (const child of processes) if (child.process.exitCode === null) child.process.kill('SIGKILL');
    await Promise.all(processes.map((child) => child.exit));
    rmSync(directory, { recursive: true, force: true });
    await sobot.close();
    await llm.close();
  }
}

function echo(body: ChatRequestBody) {
  return { kind: 'stream' as const, chunks: ['Answer: ', String(body.messages.at(-1)?.content ?? '')] };
}

function roundRow(path: string, round: PlannedRound) {
  const sqlite = new Database(path, { readonly: true });
  try {
    return sqlite
      .prepare('select status, attempt from rounds where cid = ? and roundid = ?')
      .get(round.body.ai_agent_cid, round.body.roundid) as { status: string; attempt: number } | undefined;
  } finally {
    sqlite.close();
  }
}

const roundStatus = (path: string, round: PlannedRound) => roundRow(path, round)?.status;
const roundAttempt = (path: string, round: PlannedRound) => roundRow(path, round)?.attempt;
