import type { Click } from '../workflows/clicks.js';
import type { ThirdAlgorithmRequest } from '../sobot/schemas/request.js';
import { interfaceInfoSchema, type InterfaceInfo } from '../sobot/schemas/interface-info.js';
import { parseJsonOrUndefined } from '../util/parse-json.js';

/**
 * A visitor's click, from Sobot's two click payloads:
 * - PROCESS_CLICK: `process_info {process_id, node_id, variable_id, variable_value}`;
 * - PROCESS_CARD_CLICK: `question` = JSON list of `{processId, nodeId, variableId, variableValue,
 *   customCardButtonName}` built from the clicked card's paramInfos ("Question Description"), and
 *   `interface_info` (style "0") holding only the clicked card (also sent as JSON in `show_question`).
 *   Both spellings are accepted.
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

/** The clicked card: `interface_info`, or the same object as the JSON string in `show_question`. */
function clickedCard(request: ThirdAlgorithmRequest): InterfaceInfo | undefined {
  if (request.interface_info?.custom_cards?.length) return request.interface_info;
  const parsed = interfaceInfoSchema.safeParse(parseJsonOrUndefined(request.show_question));
  return parsed.success ? parsed.data : undefined;
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
