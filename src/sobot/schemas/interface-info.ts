import { z } from 'zod';
import { normaliseKeys, optionalInteger, optionalList, optionalObject, optionalString } from './loose.js';

/**
 * Cards travel in two spellings: Sobot sends `OpenInterfaceInfo` (camelCase: `cardStyle`, `variableId`,
 * `paramValue`) on clicks, while its ThirdAlgorithm example uses snake_case with `variableid` and
 * `param_value`. Input in any of them is normalised to the latter, the one we also emit.
 */

/** ThirdCardParamInfo / OpenCardParamInfo: one shown value and the workflow variable it maps to. */
export const cardParamInfoSchema = z.preprocess(
  normaliseKeys({ variable_id: 'variableid' }),
  z.looseObject({
    variableid: optionalString,
    param_value: optionalString,
  }),
);
export type CardParamInfo = z.output<typeof cardParamInfoSchema>;

/** ThirdInterfaceCardButtonInfo / OpenInterfaceCardButtonInfo. */
const cardButtonInfoSchema = z.preprocess(
  normaliseKeys(),
  z.looseObject({
    menu_type: optionalInteger,
    menu_name: optionalString,
    menu_link: optionalString,
  }),
);
export type CardButtonInfo = z.output<typeof cardButtonInfoSchema>;

const namedParams = optionalList(z.record(z.string(), optionalObject(cardParamInfoSchema)));

/** ThirdInterfaceCardInfo / OpenInterfaceCardInfo: one product card. */
export const interfaceCardInfoSchema = z.preprocess(
  normaliseKeys(),
  z.looseObject({
    custom_card_name: optionalObject(cardParamInfoSchema),
    custom_card_header: namedParams,
    custom_card_num: optionalObject(cardParamInfoSchema),
    custom_field: namedParams,
    custom_card_thumbnail: optionalObject(cardParamInfoSchema),
    custom_card_amount: optionalObject(cardParamInfoSchema),
    custom_card_amount_symbol: optionalObject(cardParamInfoSchema),
    custom_card_desc: optionalObject(cardParamInfoSchema),
    custom_card_type: optionalInteger,
    custom_card_link: optionalString,
    param_infos: optionalList(cardParamInfoSchema),
    custom_menus: optionalList(cardButtonInfoSchema),
  }),
);
export type InterfaceCardInfo = z.output<typeof interfaceCardInfoSchema>;

/** ThirdInterfaceInfo / OpenInterfaceInfo: a card list (style "1") or the clicked card (style "0"). */
export const interfaceInfoSchema = z.preprocess(
  normaliseKeys(),
  z.looseObject({
    card_style: optionalString,
    card_type: optionalString,
    card_form: optionalString,
    card_guide: optionalString,
    custom_cards: optionalList(interfaceCardInfoSchema),
  }),
);
export type InterfaceInfo = z.output<typeof interfaceInfoSchema>;
