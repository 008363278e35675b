import type { Click } from '../workflows/clicks.js';
import type { ThirdAlgorithmRequest } from '../sobot/schemas/request.js';
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
    processId: first?.processId ?? '',
    nodeId: first?.nodeId ?? '',
    values: entries.map((entry) => ({ variable: entry.variableId, value: entry.variableValue })),
    button: entries.find((entry) => entry.button)?.button,
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

interface CardClickEntry {
  processId?: string | undefined;
  nodeId?: string | undefined;
  variableId?: string | undefined;
  variableValue: string;
  button?: string | undefined;
}

function cardClickEntries(question: string): CardClickEntry[] {
  const parsed = parseJsonOrUndefined(question);
  if (!Array.isArray(parsed)) return [];
  const text = (record: Record<string, unknown>, ...keys: string[]) => {
    for (const key of keys) {
      const value = record[key];
      if (typeof value === 'string' || typeof value === 'number') return String(value);
    }
    return undefined;
  };
  return parsed
    .filter((entry): entry is Record<string, unknown> => Boolean(entry) && typeof entry === 'object')
    .map((entry) => ({
      processId: text(entry, 'processId', 'process_id'),
      nodeId: text(entry, 'nodeId', 'node_id'),
      variableId: text(entry, 'variableId', 'variable_id', 'variableid'),
      variableValue: text(entry, 'variableValue', 'variable_value') ?? '',
      button: text(entry, 'customCardButtonName', 'custom_card_button_name'),
    }));
}
