import type { Click } from '../workflows/clicks.js';
import { cardClickEntrySchema, type CardClickEntry, type ThirdAlgorithmRequest } from '../sobot/schemas/request.js';
import { interfaceInfoSchema, type InterfaceInfo } from '../sobot/schemas/interface-info.js';
import { parseJsonOrUndefined } from '../util/parse-json.js';

/**
 * A visitor's click, from Sobot's two click payloads:
 * - PROCESS_CLICK: `process_info {process_id, node_id, variable_id, variable_value}`;
 * - PROCESS_CARD_CLICK: `question` = JSON list of `{processId, nodeId, variableId, variableValue,
 *   customCardButtonName}` built from the clicked card's paramInfos ("Question Description"),
 *   `interface_info` = the whole offered card list with style "0", and `show_question` = the same object as
 *   JSON keeping only the clicked card. Both spellings are accepted.
 */
export function parseClick(request: ThirdAlgorithmRequest): Click | undefined {
  const type = request.input_type_enum.toUpperCase();
  if (type === 'PROCESS_CLICK') {
    const info = request.process_info;
    return {
      kind: 'choice',
      processId: info?.process_id ?? '',
      nodeId: info?.node_id ?? '',
      variable: info?.variable_id ?? '',
      value: info?.variable_value ?? '',
    };
  }
  if (type !== 'PROCESS_CARD_CLICK') return undefined;
  const entries = cardClickEntries(request.question);
  const first = entries[0];
  return {
    kind: 'card',
    processId: first?.process_id ?? '',
    nodeId: first?.node_id ?? '',
    values: entries.map((entry) => ({ variable: entry.variable_id, value: entry.variable_value ?? '' })),
    button: entries.find((entry) => entry.custom_card_button_name)?.custom_card_button_name,
    cardName: clickedCard(request)?.custom_cards?.[0]?.custom_card_name?.param_value,
  };
}

/**
 * The clicked card: `show_question` keeps only that card, while `interface_info` keeps the whole list, so it
 * names the card only when the list had one.
 */
function clickedCard(request: ThirdAlgorithmRequest): InterfaceInfo | undefined {
  const parsed = interfaceInfoSchema.safeParse(parseJsonOrUndefined(request.show_question));
  if (parsed.success && parsed.data.custom_cards?.length) return parsed.data;
  return request.interface_info?.custom_cards?.length === 1 ? request.interface_info : undefined;
}

/** The entries of the click's `question`; one that cannot be read is left out, as an unknown key would be. */
function cardClickEntries(question: string): CardClickEntry[] {
  const parsed = parseJsonOrUndefined(question);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((entry) => {
    const read = cardClickEntrySchema.safeParse(entry);
    return read.success ? [read.data] : [];
  });
}
