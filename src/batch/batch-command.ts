import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { SingleBar, Presets } from 'cli-progress';
import pc from 'picocolors';
import { createAgentClient } from '../client/agent-client.js';
import { receiverEnvironment, startCallbackReceiver } from '../client/callback-receiver.js';
import { startLocalBridge } from '../client/local-bridge.js';
import { BatchFileError, parseBatchCases } from './batch-cases.js';
import { batchReportSchema, type BatchReport } from './batch-report.js';
import { compareReports } from './compare-reports.js';
import { renderHtmlReport } from './html-report.js';
import { runBatch } from './run-batch.js';
import { uploadReport } from './upload-report.js';

export interface BatchCommandOptions {
  url?: string | undefined;
  token?: string | undefined;
  concurrency: number;
  stream: boolean;
  /** Report path without extension: PATH.json and PATH.html are written. */
  report: string;
  /** A previous report to compare with; by default the one already at PATH.json. */
  compare?: string | undefined;
  /** Seconds to wait for each batch callback; with --url, 0 (not checked) unless set. */
  callbackWait?: number | undefined;
  receiverPort?: number | undefined;
  receiverKey?: string | undefined;
  adminToken?: string | undefined;
  /** Exit 1 when the pass rate is below this fraction. */
  failUnder?: number | undefined;
  write?: ((text: string) => void) | undefined;
  progress?: boolean | undefined;
}

/** `sobot-bridge batch FILE`: runs the questions, scores them, writes the JSON and HTML report. */
export async function batchCommand(file: string, options: BatchCommandOptions): Promise<number> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const cases = parseBatchCases(readFileSync(file, 'utf8'), file);
  const previous = previousReport(options, write);

  const receiver = await startCallbackReceiver(undefined, { port: options.receiverPort, appKey: options.receiverKey });
  const bridge = options.url ? undefined : await startLocalBridge(receiver);
  const url = options.url ?? bridge!.webhookUrl;
  const waitSeconds = options.callbackWait ?? (bridge ? 10 : 0);
  const runtimeid = `cli-${new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${randomUUID().slice(0, 8)}`;
  const bar = new SingleBar(
    {
      format: `${pc.cyan('{bar}')} {value}/{total} questions · {failed} failed · {eta_formatted} left`,
      hideCursor: true,
      noTTYOutput: false,
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  let failed = 0;
  try {
    write(
      pc.bold(`Batch ${runtimeid}: ${cases.length} questions against ${bridge ? 'the bridge in this process' : url}\n`),
    );
    if (!bridge && waitSeconds > 0) {
      write(pc.dim(`  batch callbacks are awaited from an agent started with ${receiverEnvironment(receiver)}\n`));
    }
    if (options.progress !== false) bar.start(cases.length, 0, { failed });
    const report: BatchReport = await runBatch({
      client: createAgentClient({ url, token: options.token }),
      targetUrl: bridge ? 'in-process bridge' : url,
      cases,
      runtimeid,
      concurrency: options.concurrency,
      stream: options.stream,
      callbacks: waitSeconds > 0 ? { receiver, waitMs: waitSeconds * 1000 } : undefined,
      onResult: (result) => {
        if (!result.passed) failed++;
        bar.increment({ failed });
      },
    });
    bar.stop();
    if (previous) report.comparison = compareReports(report, previous);
    writeFileSync(`${options.report}.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(`${options.report}.html`, renderHtmlReport(report));
    write(describeReport(report, options.report));
    if (options.adminToken) write(await uploadReport(report, url, options.adminToken));
    return options.failUnder !== undefined && report.summary.passRate < options.failUnder ? 1 : 0;
  } finally {
    bar.stop();
    await bridge?.stop();
    await receiver.close();
  }
}

function describeReport(report: BatchReport, path: string): string {
  const { summary, comparison } = report;
  const rate = `${(summary.passRate * 100).toFixed(1)}%`;
  const lines = [
    `${summary.failed ? pc.red(rate) : pc.green(rate)} passed (${summary.passed}/${summary.total}) · p50 ${summary.latency.p50} ms · p95 ${summary.latency.p95} ms`,
  ];
  if (summary.callbacks.expected)
    lines.push(`batch callbacks received: ${summary.callbacks.received}/${summary.callbacks.expected}`);
  if (comparison) {
    lines.push(
      `compared with ${comparison.previousRuntimeid}: ${comparison.fixed.length} fixed, ${comparison.regressed.length} regressed, ${comparison.added.length} new`,
    );
    for (const question of comparison.regressed) lines.push(pc.red(`  regressed: ${question}`));
    for (const question of comparison.fixed) lines.push(pc.green(`  fixed: ${question}`));
  }
  for (const result of report.results.filter((result) => !result.passed).slice(0, 10)) {
    lines.push(pc.dim(`  ✗ ${result.questionid} ${result.question}: ${result.failures.join('; ')}`));
  }
  lines.push(`report: ${path}.json, ${path}.html`);
  return `${lines.join('\n')}\n`;
}

/**
 * The report to compare with: `--compare`'s, which must be readable (a mistake the operator made), or the last run's
 * at `--report`, left out with a warning when it is not (an older version's, or edited by hand): the run still runs.
 */
function previousReport(options: BatchCommandOptions, write: (text: string) => void): BatchReport | undefined {
  const path = options.compare ?? `${options.report}.json`;
  if (!options.compare && !existsSync(path)) return undefined;
  let problem: string;
  try {
    const parsed = batchReportSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (parsed.success) return parsed.data;
    problem = 'not a batch report this version can read';
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  if (options.compare) throw new BatchFileError(`${path}: cannot compare with it: ${problem}`);
  write(`${pc.yellow('not comparing')} with ${path}: ${problem}\n`);
  return undefined;
}
