import type { ReportedRun, RoundsOnlyRun } from '../batch-runs.js';
import { AnswerTypeBadge, StatusBadge } from './badges.js';
import { formatMs, formatPercent } from './format.js';

/** How many questions of a run got each answer type, and their share. */
export function AnswerTypeTable(props: { counts: Record<string, number> }) {
  const entries = Object.entries(props.counts).sort(([, a], [, b]) => b - a);
  const total = entries.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return <p class="empty">No answers.</p>;
  return (
    <table class="mini">
      <thead>
        <tr>
          <th>Answer type</th>
          <th class="num">Questions</th>
          <th class="num">Share</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([type, count]) => (
          <tr>
            <td>
              <AnswerTypeBadge type={type} />
            </td>
            <td class="num">{count}</td>
            <td class="num">{formatPercent(count / total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A scored run's failing questions, each with the reasons the CLI gave. */
export function FailingCases(props: { run: ReportedRun }) {
  const { failing } = props.run;
  // Rounds of this run that reached this bridge; the CLI may have tested another one.
  const local = new Set(props.run.rounds.map((round) => `${round.cid}/${round.roundid}`));
  return (
    <section class="panel flush">
      <div class="panel-head">
        <h2>Failing questions</h2>
        <span class="right">
          {failing.length} of {props.run.report.results.length}
        </span>
      </div>
      {failing.length === 0 ? (
        <p class="empty">Every question passed.</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th>Question</th>
              <th>Answer</th>
              <th>Why it failed</th>
              <th class="num">Latency</th>
              <th>Round</th>
            </tr>
          </thead>
          <tbody>
            {failing.map((result) => (
              <tr>
                <td class="wrap">
                  <span class="muted mono">{result.questionid}</span> {result.question}
                </td>
                <td class="wrap">
                  {result.answer || <span class="muted">(no answer)</span>} <AnswerTypeBadge type={result.answerType} />
                </td>
                <td class="wrap">
                  {[...result.failures, ...(result.error ? [result.error] : [])].map((reason) => (
                    <div>{reason}</div>
                  ))}
                </td>
                <td class="num">{formatMs(result.latencyMs)}</td>
                <td class="mono nowrap">
                  {local.has(`${result.cid}/${result.roundid}`) ? (
                    <a href={`/admin/conversations/${encodeURIComponent(result.cid)}`}>{result.roundid}</a>
                  ) : (
                    <span title="tested on another bridge">{result.roundid}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A run without a report: the questions that got no real answer (Sobot's batch callback says success false). */
export function UnansweredRounds(props: { run: RoundsOnlyRun }) {
  const { unanswered } = props.run;
  return (
    <section class="panel flush">
      <div class="panel-head">
        <h2>Unanswered and failed questions</h2>
        <span class="right">
          {unanswered.length} of {props.run.rounds.length}
        </span>
      </div>
      {unanswered.length === 0 ? (
        <p class="empty">Every question got a real answer.</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th>Question</th>
              <th>Status</th>
              <th>Answer or error</th>
              <th class="num">Latency</th>
              <th>Round</th>
            </tr>
          </thead>
          <tbody>
            {unanswered.map((round) => (
              <tr>
                <td class="wrap">
                  <span class="muted mono">{round.questionid}</span> {round.question}
                </td>
                <td class="nowrap">
                  <StatusBadge status={round.status} /> <AnswerTypeBadge type={round.answerType} />
                </td>
                <td class="wrap">{round.error ?? round.answerText ?? <span class="muted">—</span>}</td>
                <td class="num">{formatMs(round.latencyMs)}</td>
                <td class="mono nowrap">
                  <a href={`/admin/conversations/${encodeURIComponent(round.cid)}#round-${round.id}`}>
                    {round.roundid}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
