import type { Child } from 'hono/jsx';
import { type BatchRun, type ReportedRun } from '../batch-runs.js';
import { percentile } from '../../util/statistics.js';
import { LatencyHistogram } from '../charts/latency-histogram.js';
import { AnswerTypeTable, FailingCases, UnansweredRounds } from '../components/batch-run-tables.js';
import { formatMs, formatPercent, Time } from '../components/format.js';
import { Layout } from '../components/layout.js';
import { OriginBadge } from './batch-runs-page.js';

/** One batch run: its result, how long the questions took, and what failed and why. */
export function BatchRunPage(props: { run: BatchRun }) {
  const { run } = props;
  const p50 = percentile(run.latenciesMs, 0.5);
  const p95 = percentile(run.latenciesMs, 0.95);
  const questions = run.kind === 'report' ? run.report.summary.total : run.rounds.length;
  const good = run.kind === 'report' ? run.report.summary.passed : run.answered;
  const rate = questions > 0 ? good / questions : null;
  return (
    <Layout
      section="batch"
      title="Batch test"
      subtitle={
        <>
          <span class="mono">{run.runtimeid}</span> <OriginBadge origin={run.origin} />
        </>
      }
      actions={
        <a class="btn" href="/admin/batch">
          ← All runs
        </a>
      }
    >
      {run.kind === 'rounds' && run.reportProblem && <p class="notice">Report not shown: {run.reportProblem}.</p>}
      <div class="stats">
        <Stat label="Questions">{questions}</Stat>
        <Stat label={run.kind === 'report' ? 'Pass rate' : 'Answered'} tone={rateTone(rate)}>
          {formatPercent(rate)}
        </Stat>
        <Stat label="Latency p50">{formatMs(p50)}</Stat>
        <Stat label="Latency p95">{formatMs(p95)}</Stat>
        {run.rounds.length > 0 && (
          <Stat label="Callbacks to Sobot" tone={run.callbacks.dead > 0 ? 'bad' : undefined}>
            {run.callbacks.delivered} delivered
            {run.callbacks.pending > 0 && `, ${run.callbacks.pending} pending`}
            {run.callbacks.dead > 0 && `, ${run.callbacks.dead} dead`}
          </Stat>
        )}
      </div>
      {run.kind === 'report' && <ReportFacts run={run} />}
      <div class="grid two">
        <section class="panel">
          <div class="chart-title">
            <h2>Latency</h2>
            <span class="muted">questions by answer time</span>
          </div>
          <LatencyHistogram latenciesMs={run.latenciesMs} p50Ms={p50} p95Ms={p95} />
        </section>
        <section class="panel">
          <div class="chart-title">
            <h2>Answer types</h2>
            <span class="muted">what kind of answer each question got</span>
          </div>
          <AnswerTypeTable counts={run.answerTypes} />
        </section>
      </div>
      {run.kind === 'report' ? <FailingCases run={run} /> : <UnansweredRounds run={run} />}
    </Layout>
  );
}

function Stat(props: { label: string; tone?: 'ok' | 'bad' | undefined; children: Child }) {
  return (
    <div class="stat">
      <div class="label">{props.label}</div>
      <div class={props.tone ? `value ${props.tone}` : 'value'}>{props.children}</div>
    </div>
  );
}

function rateTone(rate: number | null): 'ok' | 'bad' | undefined {
  if (rate === null) return undefined;
  return rate >= 1 ? 'ok' : rate < 0.8 ? 'bad' : undefined;
}

function ReportFacts(props: { run: ReportedRun }) {
  const { report } = props.run;
  const comparison = report.comparison;
  return (
    <section class="panel">
      <div class="meta-list">
        <span>
          Target <b class="mono">{report.targetUrl}</b>
        </span>
        <span>
          Mode <b>{report.mode}</b>, concurrency <b>{report.concurrency}</b>
        </span>
        <span>
          Ran{' '}
          <b>
            <Time at={props.run.header.startedAt} />
          </b>{' '}
          for <b>{formatMs(props.run.header.finishedAt - props.run.header.startedAt)}</b>
        </span>
        <span>
          Sobot callbacks received <b>{report.summary.callbacks.received}</b> of {report.summary.callbacks.expected}
        </span>
        {comparison && (
          <span>
            Against{' '}
            <a href={`/admin/batch/${encodeURIComponent(comparison.previousRuntimeid)}`}>
              {comparison.previousRuntimeid}
            </a>{' '}
            ({formatPercent(comparison.previousPassRate)}): <b>{comparison.fixed.length}</b> fixed,{' '}
            <b>{comparison.regressed.length}</b> regressed, p50 {comparison.latencyP50Change >= 0 ? '+' : ''}
            {formatMs(comparison.latencyP50Change)}
          </span>
        )}
      </div>
    </section>
  );
}
