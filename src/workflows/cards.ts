import type { CardDefinition } from './workflow-schema.js';

/** A card as offered to the visitor: what it shows, and what a click on it sets. */
export type OfferedCard = CardDefinition;

export interface CardButton {
  name: string;
  link?: string | undefined;
}

// Sobot documents no limits; these keep a card list readable on a phone and within what chat UIs show.
const LIMITS = { cards: 10, name: 80, guide: 200, text: 300 } as const;

/** Why a card set cannot be shown as cards, or undefined when it can. */
export function cardProblem(guide: string, cards: OfferedCard[]): string | undefined {
  if (cards.length === 0) return 'no cards';
  if (cards.length > LIMITS.cards) return `${cards.length} cards, more than ${LIMITS.cards}`;
  if (guide.length > LIMITS.guide) return `guide longer than ${LIMITS.guide} characters`;
  for (const [index, card] of cards.entries()) {
    const where = `card ${index + 1}`;
    if (!card.name.trim() || card.name.length > LIMITS.name)
      return `${where}: name empty or longer than ${LIMITS.name}`;
    if (!card.value.trim()) return `${where}: no value`;
    if (card.thumbnail && !isUrl(card.thumbnail)) return `${where}: thumbnail is not an http(s) URL`;
    if (card.link && !isUrl(card.link)) return `${where}: link is not an http(s) URL`;
    if (card.amount && !/^\d+(\.\d+)?$/.test(card.amount)) return `${where}: amount "${card.amount}" is not a number`;
    if ((card.description?.length ?? 0) > LIMITS.text) return `${where}: description longer than ${LIMITS.text}`;
  }
  return undefined;
}

/** The readable fallback when cards cannot be shown: a numbered list the visitor can answer by number. */
export function cardsAsText(guide: string, cards: OfferedCard[]): string {
  const lines = cards.map((card, index) => {
    const price = card.amount ? ` — ${card.amount}${card.currency ? ` ${card.currency}` : ''}` : '';
    return `${index + 1}. ${card.name}${price}`;
  });
  return [guide, ...lines].join('\n');
}

function isUrl(value: string): boolean {
  return /^https?:\/\/\S+$/i.test(value);
}
