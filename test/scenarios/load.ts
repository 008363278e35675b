import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAI } from '../fakes/fake-openai.js';
import { startFakeSobot, sobotEnv } from '../fakes/fake-sobot.js';
import { startBridge } from '../helpers/bridge.js';
import { isolatedBridgeEnv, logLines, startBridgeProcess } from '../helpers/bridge-process.js';
import { captureLogs } from '../helpers/log-capture.js';
import { waitFor } from '../helpers/wait-for.js';
import { tallyCallbacks, type CallbackTally } from './callback-tally.js';
import { callbackRows, inspectDatabase, type DatabaseReport } from './database-check.js';
import { askRound, plannedRound } from './mixed-rounds.js';
import { watchCrashes } from './watch-crashes.js';

export interface LoadReport extends CallbackTally {
  rounds: number;
  processes: number;
  replyProblems: string[];
  /** Rounds not stored as answered. */
  roundsLost: number;
  /** Log entries at warn or error level, and those that mention a busy or locked database. */
  warnings: string[];
  busy: number;
  /** Bridges that died: an uncaught error in this process, or a process that did not stop cleanly. */
  crashes: number;
  database: DatabaseReport;
  elapsedMs: number;
}

const BUSY = /SQLITE_BUSY|database is locked/i;

/**
 * `rounds` rounds at once, cycling through JSON, SSE, copilot, batch (JSON and SSE) and copilot+batch,
 * against `processes` bridges (1: in this process; 2: two `npm start` processes on one database file,
 * the rounds split between them). The model streams a few chunks with a short delay, so all overlap.
 */
export async function runLoad(rounds: number, processes: 1 | 2): Promise<LoadReport> {
  const llm = await startFakeOpenAI();
  llm.respondWith((body) => ({
    kind: 'stream',
    chunks: ['Answer: ', String(body.messages.at(-1)?.content ?? '')],
    firstTokenDelayMs: 20,
    intervalMs: 5,
  }));
  const sobot = await startFakeSobot();
  const directory = mkdtempSync(join(tmpdir(), 'bridge-load-'));
  const env = {
    ...isolatedBridgeEnv(directory, llm.baseUrl),
    ...sobotEnv(sobot),
    CALLBACK_POLL_INTERVAL_MS: '200',
  };
  const bridges = processes === 1 ? [await inProcess(env)] : await twoProcesses(env);
  const crashes = watchCrashes();
  let stopped = false;
  const stopAll = async () => {
    if (stopped) return 0;
    stopped = true;
    const clean = await Promise.all(bridges.map((bridge) => bridge.stop()));
    return clean.filter((ok) => !ok).length + crashes.stop();
  };
  try {
    const planned = Array.from({ length: rounds }, (_, index) => plannedRound(`load${processes}`, index));
    const started = performance.now();
    const replies = await Promise.all(
      planned.map((round, index) => askRound(bridges[index % bridges.length]!.url, round)),
    );
    const owed = planned.reduce((sum, round) => sum + round.owes.length, 0);
    await waitFor(
      () => {
        const rows = callbackRows(env.DATABASE_PATH);
        return rows.length === owed && rows.every((row) => row.status === 'delivered');
      },
      'every callback to be delivered',
      60_000,
    );
    const elapsedMs = performance.now() - started;
    // Copilot rounds answer in the background: their replies came back before their rounds finished.
    const database = inspectDatabase(env.DATABASE_PATH);
    const warnings = bridges.flatMap((bridge) => bridge.warnings());
    const crashed = await stopAll();
    return {
      rounds,
      processes,
      replyProblems: replies.flatMap((reply) => reply.problems),
      roundsLost: rounds - (database.roundsByStatus.succeeded ?? 0),
      warnings,
      busy: warnings.filter((warning) => BUSY.test(warning)).length,
      crashes: crashed,
      database,
      elapsedMs,
      ...tallyCallbacks(planned, sobot),
    };
  } finally {
    await stopAll();
    rmSync(directory, { recursive: true, force: true });
    await sobot.close();
    await llm.close();
  }
}

interface LoadTarget {
  url: string;
  /** Log entries at warn level or above, as text. */
  warnings(): string[];
  /** Resolves true when it stopped cleanly. */
  stop(): Promise<boolean>;
}

async function inProcess(env: Record<string, string>): Promise<LoadTarget> {
  const logs = captureLogs();
  const bridge = await startBridge({ env, databasePath: env.DATABASE_PATH, logger: logs });
  return {
    url: bridge.url,
    warnings: () =>
      logs.entries
        .filter((entry) => entry.level === 'warn' || entry.level === 'error')
        .map((entry) => `${entry.level}: ${entry.message} ${JSON.stringify(entry.fields ?? {})}`),
    stop: () => bridge.stop().then(() => true),
  };
}

/** Two service processes on one database file; started one after the other, since each migrates it. */
async function twoProcesses(env: Record<string, string>): Promise<LoadTarget[]> {
  const targets: LoadTarget[] = [];
  for (let index = 0; index < 2; index++) {
    const child = startBridgeProcess(env);
    const url = await child.url;
    targets.push({
      url,
      warnings: () =>
        logLines(child.stdout())
          .filter((line) => line.level === 'warn' || line.level === 'error')
          .map((line) => JSON.stringify(line)),
      async stop() {
        // A process that died on its own has an exit code already; one that stops on SIGTERM exits 0.
        if (child.process.exitCode === null) child.process.kill('SIGTERM');
        return (await child.exit).code === 0;
      },
    });
  }
  return targets;
}
