import type { BatchRunSummary } from '../batch-runs.js';
import { Badge } from '../components/badges.js';
import { formatMs, formatPercent, Time } from '../components/format.js';
import { Layout } from '../components/layout.js';

export function OriginBadge(props: { origin: BatchRunSummary['origin'] }) {
  return props.origin === 'cli' ? <Badge tone="accent">CLI</Badge> : <Badge>Sobot</Badge>;
}

/** Batch-test runs: Sobot's (grouped by runtimeid) and the CLI's (with their scored reports). */
export function BatchRunsPage(props: { runs: BatchRunSummary[] }) {
  return (
    <Layout
      section="batch"
      title="Batch tests"
      subtitle="Sobot's batch tests by runtimeid, and reports from sobot-bridge batch"
    >
      <section class="panel flush">
        {props.runs.length === 0 ? (
          <p class="empty">
            No batch tests yet. Sobot's arrive as rounds with a runtimeid; the CLI uploads its reports.
          </p>
        ) : (
          <table class="data">
            <thead>
              <tr>
                <th>Run</th>
                <th>Source</th>
                <th class="num">Questions</th>
                <th class="num">Result</th>
                <th class="num">Failed rounds</th>
                <th>Started</th>
                <th class="num">Duration</th>
              </tr>
            </thead>
            <tbody>
              {props.runs.map((run) => (
                <tr>
                  <td class="mono">
                    <a href={`/admin/batch/${encodeURIComponent(run.runtimeid)}`}>{run.runtimeid}</a>
                  </td>
                  <td>
                    <OriginBadge origin={run.origin} />
                  </td>
                  <td class="num">{run.questions}</td>
                  <td class="num">
                    <RateBadge rate={run.rate} /> <span class="muted">{run.rateKind}</span>
                  </td>
                  <td class="num">{run.failedRounds || <span class="muted">0</span>}</td>
                  <td class="nowrap">
                    <Time at={run.startedAt} />
                  </td>
                  <td class="num">{formatMs(run.finishedAt - run.startedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}

/** A pass or answered rate, green when all passed, amber from 80%, red below. */
function RateBadge(props: { rate: number | null }) {
  if (props.rate === null) return <span class="muted">—</span>;
  const tone = props.rate >= 1 ? 'ok' : props.rate >= 0.8 ? 'warn' : 'bad';
  return <Badge tone={tone}>{formatPercent(props.rate)}</Badge>;
}
