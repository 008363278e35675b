import type { ThirdAlgorithmRequest } from '../sobot/schemas/request.js';
import { parseJsonOrUndefined } from '../util/parse-json.js';
import type { Click } from '../workflows/clicks.js';

/**
 * A click put into words, for everything that is not a workflow step (the model, peers, history):
 * the chosen value of a PROCESS_CLICK, or "Card title — Button" of a PROCESS_CARD_CLICK.
 */
export function describeClick(request: ThirdAlgorithmRequest, click: Click): string {
  const parts = click.kind === 'choice' ? [click.value] : [click.cardName, click.button];
  const words = parts.map((part) => part?.trim()).filter((part): part is string => Boolean(part));
  if (words.length > 0) return words.join(' — ');
  return readableQuestion(request) || (click.kind === 'choice' ? 'I made a choice.' : 'I chose a card.');
}

/** The question or show_question when they are text rather than the JSON a click carries. */
function readableQuestion(request: ThirdAlgorithmRequest): string {
  for (const candidate of [request.show_question, request.question]) {
    const text = candidate?.trim();
    if (text && !looksLikeJson(text)) return text;
  }
  return '';
}

/** Only text shaped like a JSON object or list counts: a plain question stays a question. */
function looksLikeJson(text: string): boolean {
  return (text.startsWith('{') || text.startsWith('[')) && parseJsonOrUndefined(text) !== undefined;
}
