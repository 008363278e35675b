import type { z } from 'zod';
import { detectLanguage } from '../answer/language.js';
import { cardProblem, cardsAsText, type OfferedCard } from './cards.js';
import type { offerChoicesArguments, showProductsArguments } from './model-tools.js';
import { ASSISTANT_PROCESS, type PendingOffer } from './workflow-session.js';

export type OfferedChoices = z.infer<typeof offerChoicesArguments>;
export type OfferedProducts = z.infer<typeof showProductsArguments>;

/** Something the model offered on its own: the step its click must answer, and the text shown with it. */
export interface ModelOffer {
  pending: PendingOffer;
  text: string;
}

/** The model's `offer_choices`: buttons, with the prompt as the text. */
export function choicesOffer(nodeId: string, { prompt, options }: OfferedChoices): ModelOffer {
  return {
    pending: { kind: 'choice', processId: ASSISTANT_PROCESS, nodeId, variable: 'choice', prompt, options },
    text: prompt,
  };
}

/**
 * The model's `show_products`: cards whose click sets `product` to the card's name. Cards Sobot could not
 * show (see `cardProblem`) become a numbered text list the visitor answers by number.
 */
export function productsOffer(nodeId: string, { guide, products }: OfferedProducts): ModelOffer {
  const cards: OfferedCard[] = products.map((product) => ({
    name: product.name,
    value: product.name,
    amount: product.price,
    currency: product.currency,
    thumbnail: product.image,
    description: product.description,
    link: product.link,
  }));
  const asText = cardProblem(guide, cards) !== undefined;
  return {
    pending: {
      kind: 'cards',
      processId: ASSISTANT_PROCESS,
      nodeId,
      variable: 'product',
      guide,
      cards,
      buttons: [{ name: detectLanguage(guide) === 'zh' ? '选择' : 'Choose' }],
      asText,
    },
    text: asText ? cardsAsText(guide, cards) : '',
  };
}
