import type { StoredRound } from '../../store/round-store.js';
import { TimingWaterfall } from '../charts/timing-waterfall.js';
import { AnswerTypeBadge, StatusBadge } from './badges.js';
import { JsonBlock, Time } from './format.js';
import { knowledgeRefSchema } from '../../knowledge/knowledge-entry.js';

/** Everything stored about a round, for working out why it answered as it did. */
export function RoundDetails(props: { round: StoredRound }) {
  const { round } = props;
  const yesNo = (value: boolean | null) => (value === null ? '—' : value ? 'yes' : 'no');
  const tokens =
    round.totalTokens === null
      ? '—'
      : `${round.totalTokens} (prompt ${round.promptTokens ?? '—'}, completion ${round.completionTokens ?? '—'})`;
  return (
    <details class="round-details" id={`round-${round.id}-details`}>
      <summary>
        Round <span class="mono">{round.roundid}</span> — request, items, knowledge, timings
      </summary>
      <div class="details-body">
        <div>
          <h3>Round</h3>
          <dl class="kv">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={round.status} /> {round.attempt > 1 && `attempt ${round.attempt}`}
            </dd>
            <dt>Answer type</dt>
            <dd>
              <AnswerTypeBadge type={round.answerType} /> success: {yesNo(round.success)}
            </dd>
            <dt>Answer source</dt>
            <dd>{round.answerSource ?? '—'}</dd>
            <dt>Model</dt>
            <dd>{round.model ?? '—'}</dd>
            <dt>Tokens</dt>
            <dd>{tokens}</dd>
            <dt>Input</dt>
            <dd>
              {round.inputType} · {round.msgType} · {round.reqStream ? 'streamed (SSE)' : 'JSON'}
              {round.copilot && ' · copilot'}
              {round.isTest && ' · debug robot'}
            </dd>
            {round.runtimeid && (
              <>
                <dt>Batch test</dt>
                <dd>
                  <a href={`/admin/batch/${encodeURIComponent(round.runtimeid)}`}>{round.runtimeid}</a>
                  {round.questionid && ` · question ${round.questionid}`}
                </dd>
              </>
            )}
            <dt>Language</dt>
            <dd>{round.lan ?? '—'}</dd>
            <dt>Received</dt>
            <dd>
              <Time at={round.createdAt} />
            </dd>
          </dl>
        </div>
        <div>
          <h3>Timings</h3>
          <TimingWaterfall timings={round} />
        </div>
        {round.error && (
          <div class="full">
            <h3>Error</h3>
            <div class="notice bad mono">{round.error}</div>
          </div>
        )}
        <div class="full">
          <h3>Knowledge used</h3>
          <KnowledgeTable round={round} />
        </div>
        {round.handover !== null && (
          <div class="full">
            <h3>Hand-over summary</h3>
            <JsonBlock value={round.handover} />
          </div>
        )}
        <div>
          <h3>Raw request</h3>
          <JsonBlock value={round.request ?? '(not stored)'} />
        </div>
        <div>
          <h3>Emitted items ({round.items?.length ?? 0})</h3>
          <JsonBlock value={round.items ?? []} />
        </div>
        {round.peerRaw && (
          <div class="full">
            <h3>Peer platform reply (raw)</h3>
            <pre class="json">{round.peerRaw}</pre>
          </div>
        )}
      </div>
    </details>
  );
}

function KnowledgeTable(props: { round: StoredRound }) {
  // Stored as JSON, perhaps by an earlier build: an entry that does not read is left out, not rendered half.
  const sources = (props.round.sources ?? []).flatMap((source) => {
    const read = knowledgeRefSchema.safeParse(source);
    return read.success ? [read.data] : [];
  });
  if (sources.length === 0) return <p class="muted">None: the answer did not draw on the knowledge base.</p>;
  return (
    <table class="mini">
      <thead>
        <tr>
          <th>Kind</th>
          <th>Title</th>
          <th>Entry</th>
          <th>File</th>
          <th class="num">Confidence</th>
        </tr>
      </thead>
      <tbody>
        {sources.map((source) => (
          <tr>
            <td>{source.kind}</td>
            <td>{source.title}</td>
            <td class="mono">{source.id}</td>
            <td class="mono">{source.source}</td>
            <td class="num">{source.score.toFixed(2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
