import type { InterfaceCardInfo, InterfaceInfo } from '../sobot/schemas/interface-info.js';
import type { ThirdAlgorithmResponseItem } from '../sobot/schemas/response.js';

/** Buttons a workflow step offers: pressing one is a PROCESS_CLICK. */
export interface ButtonOffer {
  kind: 'buttons';
  processId: string;
  nodeId: string;
  variableId: string;
  values: string[];
}

/** Product cards: clicking one (or one of its buttons) is a PROCESS_CARD_CLICK. */
export interface CardOffer {
  kind: 'cards';
  processId: string;
  nodeId: string;
  interfaceInfo: InterfaceInfo;
  cards: InterfaceCardInfo[];
}

export type Offer = ButtonOffer | CardOffer;

/** What an answer offers the visitor to click, read from its items the way Sobot renders them. */
export function offersIn(items: ThirdAlgorithmResponseItem[]): Offer[] {
  const offers: Offer[] = [];
  for (const item of items) {
    const ids = { processId: item.third_processid ?? '', nodeId: item.third_nodeid ?? '' };
    if (item.third_variable_value_enums?.length) {
      offers.push({
        kind: 'buttons',
        ...ids,
        variableId: item.third_variable_id ?? '',
        values: item.third_variable_value_enums,
      });
    }
    const cards = item.third_interface_info?.custom_cards;
    if (cards?.length) offers.push({ kind: 'cards', ...ids, interfaceInfo: item.third_interface_info!, cards });
  }
  return offers;
}

/** The card's title as Sobot shows it. */
export function cardTitle(card: InterfaceCardInfo): string {
  return card.custom_card_name?.param_value ?? card.custom_card_desc?.param_value ?? '(untitled card)';
}

/**
 * PROCESS_CLICK ("Button message interaction in task workflow"): `process_info` carries the step's ids and the
 * chosen value. The document does not say what `question` holds here; the value the visitor saw is sent.
 */
export function buttonClickFields(offer: ButtonOffer, value: string): Record<string, unknown> {
  return {
    input_type_enum: 'PROCESS_CLICK',
    msg_type: 'TEXT',
    question: value,
    show_question: value,
    process_info: {
      process_id: offer.processId,
      node_id: offer.nodeId,
      variable_id: offer.variableId,
      variable_value: value,
    },
  };
}

/**
 * PROCESS_CARD_CLICK, built exactly as "Task Flow Node Message Interaction" says: `interface_info` is the whole
 * offered object with cardStyle "0"; `show_question` is that object as a string keeping only the clicked card;
 * `question` is the string of one `{processId, nodeId, variableId, variableValue, customCardButtonName}` per
 * entry of the clicked card's paramInfos. Sobot sends these in its OpenInterfaceInfo camelCase.
 */
export function cardClickFields(offer: CardOffer, cardIndex: number, buttonName?: string): Record<string, unknown> {
  const card = offer.cards[cardIndex];
  if (!card) throw new RangeError(`no card ${cardIndex + 1}; ${offer.cards.length} offered`);
  const clickedStyle = { ...offer.interfaceInfo, card_style: '0' };
  const question = (card.param_infos ?? []).map((param) => ({
    processId: offer.processId,
    nodeId: offer.nodeId,
    variableId: param.variableid ?? null,
    variableValue: param.param_value ?? null,
    customCardButtonName: buttonName ?? null,
  }));
  return {
    input_type_enum: 'PROCESS_CARD_CLICK',
    msg_type: 'TEXT',
    interface_info: toOpenInterfaceInfo(clickedStyle),
    show_question: JSON.stringify(toOpenInterfaceInfo({ ...clickedStyle, custom_cards: [card] })),
    question: JSON.stringify(question),
  };
}

// Keys inside these lists are the card's own labels ("no:", "Order number"), not field names to respell.
const LABELLED_LISTS = new Set(['custom_card_header', 'custom_field']);

/** snake_case ThirdInterfaceInfo → camelCase OpenInterfaceInfo (`variableid` → `variableId`). */
function toOpenInterfaceInfo(value: unknown, keepKeys = false): unknown {
  if (Array.isArray(value)) return value.map((entry) => toOpenInterfaceInfo(entry, keepKeys));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => [
      keepKeys ? key : camelCase(key),
      keepKeys ? toOpenInterfaceInfo(entry) : toOpenInterfaceInfo(entry, LABELLED_LISTS.has(key)),
    ]),
  );
}

function camelCase(key: string): string {
  if (key === 'variableid') return 'variableId';
  return key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
