import type { BotPart, CardView, VisitorTurn } from '../transcript.js';

/** The visitor's side of a round, as the chat shows it. */
export function VisitorBubble(props: { turn: VisitorTurn }) {
  const { turn } = props;
  if (turn.kind === 'welcome') return <div class="system-note">Visitor opened the chat (WELCOME)</div>;
  return (
    <div class="visitor">
      <span class="who">Visitor</span>
      {turn.kind === 'text' && <div class="bubble">{turn.text || <span class="muted">(empty question)</span>}</div>}
      {turn.kind === 'click' && (
        <div class="bubble click">
          <span class="click-label">{turn.card ? 'Card' : 'Button'}</span>
          {turn.text}
        </div>
      )}
      {turn.kind === 'image' && (
        <div class="bubble">
          Image:{' '}
          <a href={turn.url} target="_blank" rel="noopener noreferrer">
            {turn.url.startsWith('data:') ? 'inline image' : turn.url}
          </a>
          {turn.caption && <div>{turn.caption}</div>}
        </div>
      )}
    </div>
  );
}

/** One part of the answer, rendered the way Sobot's chat window shows it. */
export function BotPartView(props: { part: BotPart }) {
  const { part } = props;
  switch (part.kind) {
    case 'text':
      return <div class="bubble">{part.text}</div>;
    case 'buttons':
      return (
        <div class="options" title={`Workflow ${part.processId ?? ''} / node ${part.nodeId ?? ''}`}>
          {part.options.map((option) => (
            <span class="option">{option}</span>
          ))}
        </div>
      );
    case 'cards':
      return (
        <div>
          {part.guide && <div class="cards-guide">{part.guide}</div>}
          <div class="cards">
            {part.cards.map((card) => (
              <ProductCard card={card} />
            ))}
          </div>
        </div>
      );
    case 'handover':
      return (
        <div class="handover">
          <div class="title">Transferred to a human agent</div>
          <pre>{part.summary}</pre>
        </div>
      );
    case 'error-end':
      return <div class="bubble error">The answer broke off here (ERROR_END).</div>;
  }
}

function ProductCard(props: { card: CardView }) {
  const { card } = props;
  const price = card.amount ? `${card.currency ?? ''} ${card.amount}`.trim() : undefined;
  return (
    <div class="card">
      <div class="thumb-box" aria-hidden="true">
        {card.name.slice(0, 1).toUpperCase()}
        {card.thumbnail && <img src={card.thumbnail} alt="" loading="lazy" referrerpolicy="no-referrer" />}
      </div>
      <div class="card-body">
        <div class="card-name">
          {card.link ? (
            <a href={card.link} target="_blank" rel="noopener noreferrer">
              {card.name}
            </a>
          ) : (
            card.name
          )}
        </div>
        {card.description && <div class="card-desc">{card.description}</div>}
        {card.details.map(([label, value]) => (
          <div class="card-detail">
            {label}: {value}
          </div>
        ))}
        {price && <div class="card-price">{price}</div>}
        {card.menus.length > 0 && (
          <div class="card-menus">
            {card.menus.map((menu) => (
              <span title={menu.link}>{menu.name}</span>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
