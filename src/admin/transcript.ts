import { describeClick } from '../round/click-text.js';
import { parseClick } from '../round/parse-click.js';
import { parseThirdAlgorithmRequest } from '../sobot/parse-request.js';
import type { CardParamInfo, InterfaceCardInfo, InterfaceInfo } from '../sobot/schemas/interface-info.js';
import type { ThirdAlgorithmRequest } from '../sobot/schemas/request.js';
import type { ThirdAlgorithmResponseItem } from '../sobot/schemas/response.js';
import type { StoredRound } from '../store/round-store.js';

/** What the visitor did in a round, as the chat shows it. */
export type VisitorTurn =
  | { kind: 'welcome' }
  | { kind: 'text'; text: string }
  | { kind: 'image'; url: string; caption?: string | undefined }
  | { kind: 'click'; text: string; card: boolean };

export interface CardView {
  name: string;
  description?: string | undefined;
  thumbnail?: string | undefined;
  amount?: string | undefined;
  currency?: string | undefined;
  link?: string | undefined;
  /** Labelled values: the card's header lines, then its fields. */
  details: Array<[label: string, value: string]>;
  menus: Array<{ name: string; link?: string | undefined }>;
}

/** The answer's items as Sobot shows them: text bubbles, buttons, cards, the transfer, a broken stream. */
export type BotPart =
  | { kind: 'text'; text: string }
  | { kind: 'buttons'; options: string[]; processId?: string | undefined; nodeId?: string | undefined }
  | { kind: 'cards'; guide?: string | undefined; cards: CardView[] }
  | { kind: 'handover'; summary: string }
  | { kind: 'error-end' };

export function visitorTurn(round: StoredRound): VisitorTurn {
  const request = storedRequest(round);
  const inputType = round.inputType.toUpperCase();
  if (inputType === 'WELCOME') return { kind: 'welcome' };
  const click = request ? parseClick(request) : undefined;
  if (request && click) return { kind: 'click', text: describeClick(request, click), card: click.kind === 'card' };
  if (round.msgType.toUpperCase() === 'IMG' && /^(https?:|data:image\/)/i.test(round.question)) {
    const caption = round.showQuestion && round.showQuestion !== round.question ? round.showQuestion : undefined;
    return { kind: 'image', url: round.question, caption };
  }
  return { kind: 'text', text: round.question };
}

/**
 * The stored request, when it is still readable. A request longer than 65,536 UTF-16 code units is stored cut
 * short, and a cut one no longer parses; only a round that owes a callback keeps its request whole, however long
 * (`round/claim-round.ts`).
 */
function storedRequest(round: StoredRound): ThirdAlgorithmRequest | undefined {
  if (!round.request) return undefined;
  try {
    return parseThirdAlgorithmRequest(round.request);
  } catch {
    return undefined;
  }
}

export function botParts(items: ThirdAlgorithmResponseItem[]): BotPart[] {
  const parts: BotPart[] = [];
  let text = '';
  const flush = () => {
    if (text.trim() !== '') parts.push({ kind: 'text', text });
    text = '';
  };
  for (const item of items) {
    if (item.robot_answer_message_type === 'MESSAGE') {
      text += item.llm_answer;
      if (item.message_end) flush();
      continue;
    }
    flush();
    if (item.robot_answer_message_type === 'ERROR_END') {
      parts.push({ kind: 'error-end' });
    } else if (item.answer_type === 'TRANSFER_INTENTION') {
      // The closing item's text is the summary for the agent, not something the visitor reads.
      parts.push({ kind: 'handover', summary: item.llm_answer });
    } else {
      if (item.llm_answer.trim() !== '') parts.push({ kind: 'text', text: item.llm_answer });
      if (item.third_variable_value_enums?.length) {
        parts.push({
          kind: 'buttons',
          options: item.third_variable_value_enums,
          processId: item.third_processid,
          nodeId: item.third_nodeid,
        });
      }
      if (item.third_interface_info?.custom_cards?.length) parts.push(cardsPart(item.third_interface_info));
    }
  }
  flush();
  return parts;
}

function cardsPart(info: InterfaceInfo): BotPart {
  return { kind: 'cards', guide: info.card_guide, cards: (info.custom_cards ?? []).map(cardView) };
}

function cardView(card: InterfaceCardInfo): CardView {
  const value = (param: CardParamInfo | undefined) => param?.param_value || undefined;
  const labelled = (list: Array<Record<string, CardParamInfo | undefined>> | undefined) =>
    (list ?? []).flatMap((entry) =>
      Object.entries(entry).flatMap(([label, param]): Array<[string, string]> => {
        const shown = value(param);
        return shown ? [[label, shown]] : [];
      }),
    );
  return {
    name: value(card.custom_card_name) ?? '(no name)',
    description: value(card.custom_card_desc),
    thumbnail: webUrl(value(card.custom_card_thumbnail)),
    amount: value(card.custom_card_amount),
    currency: value(card.custom_card_amount_symbol),
    link: webUrl(card.custom_card_link),
    details: [...labelled(card.custom_card_header), ...labelled(card.custom_field)],
    menus: (card.custom_menus ?? []).flatMap((menu) =>
      menu.menu_name ? [{ name: menu.menu_name, link: webUrl(menu.menu_link) }] : [],
    ),
  };
}

/** Only web addresses become links or images on the console's pages (never `javascript:` and the like). */
function webUrl(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}
