import { startFakeOpenAI } from '../fakes/fake-openai.js';
import { startFakeSobot, type Failure, sobotEnv } from '../fakes/fake-sobot.js';
import { startBridge } from '../helpers/bridge.js';
import { captureLogs } from '../helpers/log-capture.js';
import { waitFor } from '../helpers/wait-for.js';
import { tallyCallbacks, type CallbackTally } from './callback-tally.js';
import { callbackRows } from './database-check.js';
import { askRound, plannedRound } from './mixed-rounds.js';

export type Outage = Failure | { kind: 'refuse' };

export const outages: Array<[string, Outage]> = [
  ['HTTP 503 with Retry-After', { kind: 'http', status: 503, retryAfterSeconds: 0 }],
  ['connections refused', { kind: 'refuse' }],
  ['connections reset', { kind: 'reset' }],
];

export interface OutageReport extends CallbackTally {
  rounds: number;
  replyProblems: string[];
  /** Delivery attempts that failed while Sobot was down: the faults the bridge absorbed. */
  failedAttempts: number;
  dead: number;
  errorLogs: number;
}

/**
 * Sobot's open platform goes down (tokens and callbacks alike) while copilot and batch rounds are
 * answered; once every callback has failed `failuresEach` times, Sobot comes back. Every callback
 * must then arrive exactly once.
 */
export async function runSobotOutage(outage: Outage, rounds: number, failuresEach = 2): Promise<OutageReport> {
  const llm = await startFakeOpenAI();
  const sobot = await startFakeSobot();
  const logs = captureLogs();
  const bridge = await startBridge({
    logger: logs,
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: llm.baseUrl,
      ...sobotEnv(sobot),
      CALLBACK_TIMEOUT_MS: '1000',
      // Retries come every 20–200 ms instead of seconds to minutes, so an outage of a few seconds
      // stands for hours; the attempt budget grows to match, or callbacks would die of the compression.
      CALLBACK_MAX_ATTEMPTS: '1000',
      CALLBACK_RETRY_BASE_MS: '20',
      CALLBACK_RETRY_MAX_MS: '200',
      CALLBACK_POLL_INTERVAL_MS: '100',
    },
  });
  try {
    await sobot.down(outage);
    // Only rounds that owe a callback: copilot, batch (both modes), and both at once.
    const planned = Array.from({ length: rounds }, (_, index) => plannedRound(`outage`, index)).filter(
      (round) => round.owes.length > 0,
    );
    const replies = await Promise.all(planned.map((round) => askRound(bridge.url, round)));
    const owed = planned.reduce((sum, round) => sum + round.owes.length, 0);
    await waitFor(
      () => {
        const rows = callbackRows(bridge.databasePath);
        return rows.length === owed && rows.every((row) => row.attempts >= failuresEach);
      },
      `every callback to fail ${failuresEach} times`,
      30_000,
    );
    const failedAttempts = callbackRows(bridge.databasePath).reduce((sum, row) => sum + row.attempts, 0);
    await sobot.up();
    await waitFor(
      () => callbackRows(bridge.databasePath).every((row) => row.status !== 'pending'),
      'every callback to be delivered once Sobot is back',
      30_000,
    );
    // A few more polls: a duplicate would show up now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return {
      rounds: planned.length,
      replyProblems: replies.flatMap((reply) => reply.problems),
      failedAttempts,
      dead: callbackRows(bridge.databasePath).filter((row) => row.status === 'dead').length,
      errorLogs: logs.entries.filter((entry) => entry.level === 'error').length,
      ...tallyCallbacks(planned, sobot),
    };
  } finally {
    await bridge.stop();
    bridge.cleanup();
    await sobot.close();
    await llm.close();
  }
}
