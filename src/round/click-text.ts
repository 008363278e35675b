import { parseJsonOrUndefined } from '../util/parse-json.js';
import type { ThirdAlgorithmRequest } from '../sobot/schemas/request.js';
import type { InterfaceInfo } from '../sobot/schemas/interface-info.js';
import { interfaceInfoSchema } from '../sobot/schemas/interface-info.js';

/** PROCESS_CLICK: the chosen enum value is what the visitor meant to say. */
export function describeProcessClick(request: ThirdAlgorithmRequest): string {
  const value = request.process_info?.variable_value?.trim();
  if (value) return value;
  return readableQuestion(request) || 'I made a choice.';
}

/**
 * PROCESS_CARD_CLICK: `question` is a JSON list of {variableValue, customCardButtonName} and
 * `show_question`/`interface_info` carry the clicked card; turned into "Product — Button".
 */
export function describeCardClick(request: ThirdAlgorithmRequest): string {
  const card = clickedCard(request);
  const title = card?.custom_cards?.[0]?.custom_card_name?.param_value?.trim();
  const button = clickedButton(request.question);
  const parts = [title, button].filter((part): part is string => Boolean(part));
  if (parts.length > 0) return parts.join(' — ');
  return readableQuestion(request) || 'I chose a card.';
}

function clickedCard(request: ThirdAlgorithmRequest): InterfaceInfo | undefined {
  if (request.interface_info?.custom_cards?.length) return request.interface_info;
  const parsed = interfaceInfoSchema.safeParse(parseJson(request.show_question));
  return parsed.success ? parsed.data : undefined;
}

function clickedButton(question: string): string | undefined {
  const parsed = parseJson(question);
  if (!Array.isArray(parsed)) return undefined;
  for (const entry of parsed) {
    if (entry && typeof entry === 'object') {
      const record = entry as Record<string, unknown>;
      const name = record.customCardButtonName ?? record.custom_card_button_name;
      if (typeof name === 'string' && name.trim()) return name.trim();
    }
  }
  return undefined;
}

/** The question or show_question when they are text rather than the JSON a click carries. */
function readableQuestion(request: ThirdAlgorithmRequest): string {
  for (const candidate of [request.show_question, request.question]) {
    const text = candidate?.trim();
    if (text && parseJson(text) === undefined) return text;
  }
  return '';
}

/** Only text shaped like a JSON object or list counts: a plain question stays a question. */
function parseJson(text: string | undefined): unknown {
  const trimmed = text?.trim() ?? '';
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  return parseJsonOrUndefined(trimmed);
}
