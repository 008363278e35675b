/**
 * `npm run resilience`: the fault scenarios of the test suite at a larger scale, with one summary table.
 * The scenarios live in test/scenarios (the tests run the same code, smaller). Nothing is timed against
 * a target here except the model deadlines, which the protocol promises.
 *
 * Scale: RESILIENCE_FUZZ_RUNS (20000), RESILIENCE_SEED (20260109), RESILIENCE_FAULT_REPEATS (3),
 * RESILIENCE_OUTAGE_ROUNDS (600), RESILIENCE_KILL_ROUNDS (100 answered + 100 cut),
 * RESILIENCE_LOAD_ROUNDS (2000), RESILIENCE_CONVERSATIONS (50, 6 messages each).
 */
import { runConversationOrder } from '../test/scenarios/conversation-order.js';
import { runKillRestart } from '../test/scenarios/kill-restart.js';
import { faultProblems, llmFaults, runLlmFault } from '../test/scenarios/llm-faults.js';
import { runLoad } from '../test/scenarios/load.js';
import { fuzzWebhook } from '../test/scenarios/malformed-input.js';
import { outages, runSobotOutage } from '../test/scenarios/sobot-outage.js';
import { watchCrashes } from '../test/scenarios/watch-crashes.js';
import { startFakeOpenAI } from '../test/fakes/fake-openai.js';

const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const scale = {
  fuzzRuns: setting('RESILIENCE_FUZZ_RUNS', 20_000),
  seed: setting('RESILIENCE_SEED', 20260109),
  faultRepeats: setting('RESILIENCE_FAULT_REPEATS', 3),
  outageRounds: setting('RESILIENCE_OUTAGE_ROUNDS', 600),
  killRounds: setting('RESILIENCE_KILL_ROUNDS', 100),
  loadRounds: setting('RESILIENCE_LOAD_ROUNDS', 2000),
  conversations: setting('RESILIENCE_CONVERSATIONS', 50),
};

interface Row {
  scenario: string;
  cases: number;
  faults: number;
  roundsLost: number;
  callbacksLost: number;
  duplicates: number;
  serverErrors: number;
  crashes: number;
  /** Anything else that broke the protocol, described. */
  problems: string[];
  seconds: number;
}

const rows: Row[] = [];
const notes: string[] = [];

async function scenario(name: string, run: () => Promise<Omit<Row, 'scenario' | 'seconds'>>) {
  process.stdout.write(`${name}… `);
  const started = performance.now();
  const row = { scenario: name, ...(await run()), seconds: (performance.now() - started) / 1000 };
  rows.push(row);
  console.log(row.problems.length === 0 ? 'ok' : `${row.problems.length} problem(s)`);
}

/** Runs `work` counting uncaught errors in this process (the in-process bridges' crashes). */
async function counted<T>(work: () => Promise<T>): Promise<[T, number]> {
  const crashes = watchCrashes();
  try {
    return [await work(), crashes.stop()];
  } catch (error) {
    crashes.stop();
    throw error;
  }
}

const none = { roundsLost: 0, callbacksLost: 0, duplicates: 0, serverErrors: 0, crashes: 0 };

await scenario(`malformed input (fast-check, seed ${scale.seed})`, async () => {
  const report = await fuzzWebhook({ runs: scale.fuzzRuns, seed: scale.seed });
  notes.push(
    `malformed input: replies by status ${JSON.stringify(report.byStatus)}; bodies by kind ${JSON.stringify(report.byKind)}; ` +
      `slowest reply ${report.slowest.ms} ms (${report.slowest.kind})`,
  );
  return {
    ...none,
    cases: report.cases,
    faults: report.cases - (report.byStatus['200'] ?? 0),
    serverErrors: report.serverErrors,
    crashes: report.crashes,
    problems: [
      ...(report.failure ? [report.failure] : []),
      ...report.errorLogs.map((entry) => `logged error: ${entry.message}`),
      ...(report.healthyAfter ? [] : ['unhealthy afterwards']),
    ],
  };
});

await scenario('model faults, JSON and SSE', async () => {
  const llm = await startFakeOpenAI();
  let cases = 0;
  let worstOverrunMs = 0;
  const problems: string[] = [];
  const [, crashes] = await counted(async () => {
    for (let repeat = 0; repeat < scale.faultRepeats; repeat++) {
      for (const fault of llmFaults) {
        for (const mode of ['json', 'sse'] as const) {
          const outcome = await runLlmFault(llm, fault, mode);
          cases++;
          problems.push(...faultProblems(outcome).map((problem) => `${mode} ${fault.name}: ${problem}`));
          worstOverrunMs = Math.max(worstOverrunMs, outcome.elapsedMs - outcome.deadlineMs);
        }
      }
    }
  });
  await llm.close();
  notes.push(
    `model faults: ${llmFaults.length} faults × 2 modes × ${scale.faultRepeats}; latest end after its deadline: ${Math.round(Math.max(0, worstOverrunMs))} ms`,
  );
  return { ...none, cases, faults: cases, crashes, problems };
});

for (const [name, outage] of outages) {
  await scenario(`Sobot outage: ${name}`, async () => {
    const [report, crashes] = await counted(() => runSobotOutage(outage, scale.outageRounds, 3));
    return {
      ...none,
      cases: report.rounds,
      faults: report.failedAttempts,
      callbacksLost: report.lost,
      duplicates: report.duplicates,
      crashes,
      problems: [
        ...report.replyProblems,
        ...(report.dead > 0 ? [`${report.dead} callbacks dead`] : []),
        ...(report.unexpected > 0 ? [`${report.unexpected} unexpected callbacks`] : []),
      ],
    };
  });
}

await scenario('kill -9, restart, Sobot back', async () => {
  const report = await runKillRestart(scale.killRounds, scale.killRounds);
  notes.push(
    `kill -9: ${report.cutByKill} rounds cut (${report.recovered} recovered by the restart, ${report.answeredOnRetry} on retry), ` +
      `${report.owed} callbacks owed; integrity_check after the kill: ${report.afterKill.integrity}, at the end: ${report.atEnd.integrity}`,
  );
  return {
    ...none,
    cases: report.finishedBeforeKill + report.cutByKill,
    faults: 1 + report.cutByKill,
    roundsLost: report.roundsLost,
    callbacksLost: report.lost,
    duplicates: report.duplicates,
    crashes: report.crashes,
    problems: [
      ...report.replyProblems,
      ...report.afterKill.corrupt,
      ...report.atEnd.corrupt,
      ...[report.afterKill.integrity, report.atEnd.integrity].filter((result) => result !== 'ok'),
    ],
  };
});

for (const processes of [1, 2] as const) {
  await scenario(`load, ${processes} process${processes === 1 ? '' : 'es'} on one database`, async () => {
    const report = await runLoad(scale.loadRounds, processes);
    notes.push(
      `load, ${processes} process(es): ${scale.loadRounds} rounds and ${report.owed} callbacks in ${(report.elapsedMs / 1000).toFixed(1)} s; SQLITE_BUSY: ${report.busy}`,
    );
    return {
      ...none,
      cases: report.rounds,
      faults: 0,
      roundsLost: report.roundsLost,
      callbacksLost: report.lost,
      duplicates: report.duplicates,
      crashes: report.crashes,
      problems: [...report.replyProblems, ...report.warnings, ...report.database.corrupt],
    };
  });
}

await scenario('one visitor, quick messages', async () => {
  const [report, crashes] = await counted(() => runConversationOrder(scale.conversations, 6));
  return {
    ...none,
    cases: report.messages,
    faults: 0,
    crashes,
    problems: [
      ...report.replyProblems,
      ...(report.answeredOutOfOrder > 0 ? [`${report.answeredOutOfOrder} answered out of order`] : []),
      ...(report.missingContext > 0 ? [`${report.missingContext} without the earlier messages as context`] : []),
    ],
  };
});

const columns: Array<[string, (row: Row) => string]> = [
  ['scenario', (row) => row.scenario],
  ['cases', (row) => String(row.cases)],
  ['faults injected', (row) => String(row.faults)],
  ['rounds lost', (row) => String(row.roundsLost)],
  ['callbacks lost', (row) => String(row.callbacksLost)],
  ['duplicates', (row) => String(row.duplicates)],
  ['5xx', (row) => String(row.serverErrors)],
  ['crashes', (row) => String(row.crashes)],
  ['other problems', (row) => String(row.problems.length)],
  ['time', (row) => `${row.seconds.toFixed(1)} s`],
];
const table = [columns.map(([title]) => title), ...rows.map((row) => columns.map(([, cell]) => cell(row)))];
const widths = columns.map((_, index) => Math.max(...table.map((line) => line[index]!.length)));
console.log();
for (const [index, line] of table.entries()) {
  console.log(`| ${line.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`);
  if (index === 0) console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
}
console.log();
for (const note of notes) console.log(`- ${note}`);
const problems = rows.flatMap((row) => row.problems.map((problem) => `${row.scenario}: ${problem}`));
for (const problem of problems.slice(0, 20)) console.log(`PROBLEM ${problem}`);
const failed =
  problems.length > 0 ||
  rows.some((row) => row.roundsLost + row.callbacksLost + row.duplicates + row.serverErrors + row.crashes > 0);
process.exit(failed ? 1 : 0);
