import { z } from 'zod';

/**
 * A card as offered to the visitor: what it shows, and what a click on it sets (`value`). Kept with the
 * conversation's session until the click comes, so it has a schema of its own for reading it back; the
 * config file's `cardSchema` is stricter, and its values may still be JSONPaths.
 */
export const offeredCardSchema = z.object({
  name: z.string(),
  value: z.string(),
  header: z.record(z.string(), z.string()).optional(),
  fields: z.record(z.string(), z.string()).optional(),
  thumbnail: z.string().optional(),
  amount: z.string().optional(),
  currency: z.string().optional(),
  description: z.string().optional(),
  link: z.string().optional(),
});
export type OfferedCard = z.output<typeof offeredCardSchema>;

/** A card's button: a link button opens `link`; a send button clicks the card back to us. */
export const cardButtonSchema = z.object({ name: z.string(), link: z.string().optional() });
export type CardButton = z.output<typeof cardButtonSchema>;

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
