import type { CardButton, OfferedCard } from '../workflows/cards.js';
import type { InterfaceCardInfo, InterfaceInfo } from './schemas/interface-info.js';

/**
 * ThirdInterfaceInfo for a card list (style "1", product cards from the large model), in the spelling of
 * the document's ThirdAlgorithmRespVo example. Each card's `param_infos` maps the node's variable to the
 * card's value, so a click tells us which card it was.
 */
export function cardsInterfaceInfo(
  guide: string,
  variable: string,
  cards: OfferedCard[],
  buttons: CardButton[],
): InterfaceInfo {
  const shown = (value: string | undefined) => (value ? { param_value: value } : undefined);
  const labelled = (values: Record<string, string> | undefined) =>
    values ? Object.entries(values).map(([label, value]) => ({ [label]: { param_value: value } })) : undefined;
  return {
    card_style: '1',
    card_type: '1',
    card_form: '1',
    card_guide: guide,
    custom_cards: cards.map((card): InterfaceCardInfo => ({
      custom_card_name: { variableid: variable, param_value: card.name },
      custom_card_header: labelled(card.header),
      custom_field: labelled(card.fields),
      custom_card_thumbnail: shown(card.thumbnail),
      custom_card_amount: shown(card.amount),
      custom_card_amount_symbol: shown(card.currency),
      custom_card_desc: shown(card.description),
      // "Send" even when the card has a link: tapping a card is how the visitor picks it, which moves the
      // step on; "Custom" would open the link instead. The link still goes with the card.
      custom_card_type: 0,
      custom_card_link: card.link,
      param_infos: [{ variableid: variable, param_value: card.value }],
      custom_menus: buttons.map((button) => ({
        menu_type: button.link ? 1 : 0,
        menu_name: button.name,
        menu_link: button.link,
      })),
    })),
  };
}
