import type { StoredRound } from '../../store/round-store.js';
import { botParts, visitorTurn } from '../transcript.js';
import { AnswerTypeBadge, Badge, StatusBadge } from './badges.js';
import { BotPartView, VisitorBubble } from './chat-parts.js';
import { formatMs, Time } from './format.js';
import { RoundDetails } from './round-details.js';

/** A conversation as a chat: each round's visitor message, the answer as Sobot shows it, then its details. */
export function TranscriptView(props: { rounds: StoredRound[] }) {
  if (props.rounds.length === 0) return <p class="empty">No rounds yet.</p>;
  return (
    <div class="chat">
      {props.rounds.map((round) => (
        <RoundTurn round={round} />
      ))}
    </div>
  );
}

function RoundTurn(props: { round: StoredRound }) {
  const { round } = props;
  const parts = botParts(round.items ?? []);
  return (
    <div class="turn" id={`round-${round.id}`}>
      <VisitorBubble turn={visitorTurn(round)} />
      <div class="bot">
        <span class="who">Bot{round.answerSource && ` · ${round.answerSource}`}</span>
        {parts.map((part) => (
          <BotPartView part={part} />
        ))}
        {parts.length === 0 && (
          <div class="bubble">
            <span class="muted">{round.status === 'running' ? 'Answering…' : 'No answer was sent.'}</span>
          </div>
        )}
        <div class="round-meta">
          <AnswerTypeBadge type={round.answerType} />
          {round.status !== 'succeeded' && <StatusBadge status={round.status} />}
          {round.success === false && round.status === 'succeeded' && <Badge tone="warn">success: false</Badge>}
          <span>{formatMs(round.latencyMs)}</span>
          <span>·</span>
          <Time at={round.createdAt} />
          {round.error && (
            <span class="clip" title={round.error}>
              · {round.error.slice(0, 80)}
            </span>
          )}
        </div>
      </div>
      <RoundDetails round={round} />
    </div>
  );
}
