import { describe, expect, it } from 'vitest';
import { botParts } from '../src/admin/transcript.js';
import type { ThirdAlgorithmResponseItem } from '../src/sobot/schemas/response.js';

const item = (fields: Partial<ThirdAlgorithmResponseItem>): ThirdAlgorithmResponseItem => ({
  answer_type: 'GENERAL',
  robot_answer_message_type: 'MESSAGE',
  lan: 'en',
  llm_answer: '',
  roundid: 'r',
  companyid: 'c',
  message_end: false,
  ...fields,
});

/** Stored items turned into what Sobot's chat window shows. */
describe('bot parts', () => {
  it('joins streamed deltas into one message, then the closing step', () => {
    const parts = botParts([
      item({ llm_answer: 'Pick ' }),
      item({ llm_answer: 'one.' }),
      item({ llm_answer: '', message_end: true }),
      item({
        robot_answer_message_type: 'THIRD_PROCESS_INFO',
        answer_type: 'PROCESS',
        message_end: true,
        third_processid: 'wf',
        third_nodeid: 'n1',
        third_variable_value_enums: ['Yes', 'No'],
      }),
    ]);
    expect(parts).toEqual([
      { kind: 'text', text: 'Pick one.' },
      { kind: 'buttons', options: ['Yes', 'No'], processId: 'wf', nodeId: 'n1' },
    ]);
  });

  it('shows cards with their details, and drops links that are not web addresses', () => {
    // Written out in the document's spelling, not made by our encoder: the transcript must read the wire format.
    const info = {
      card_style: '1',
      card_type: '1',
      card_form: '1',
      card_guide: 'Our picks',
      custom_cards: [
        {
          custom_card_name: { variableid: 'product', param_value: 'Tent' },
          custom_field: [{ Size: { param_value: '2P' } }],
          custom_card_amount: { param_value: '99' },
          custom_card_amount_symbol: { param_value: 'EUR' },
          custom_card_type: 0,
          custom_card_link: 'https://shop.example/t1',
          param_infos: [{ variableid: 'product', param_value: 'T1' }],
          custom_menus: [{ menu_type: 0, menu_name: 'Buy' }],
        },
        {
          custom_card_name: { variableid: 'product', param_value: 'Trap' },
          custom_card_thumbnail: { param_value: 'javascript:alert(2)' },
          custom_card_type: 0,
          custom_card_link: 'javascript:alert(1)',
          param_infos: [{ variableid: 'product', param_value: 'T2' }],
          custom_menus: [{ menu_type: 0, menu_name: 'Buy' }],
        },
      ],
    };
    const [part] = botParts([
      item({ robot_answer_message_type: 'THIRD_PROCESS_INFO', message_end: true, third_interface_info: info }),
    ]);
    expect(part).toMatchObject({
      kind: 'cards',
      guide: 'Our picks',
      cards: [
        { name: 'Tent', amount: '99', currency: 'EUR', link: 'https://shop.example/t1', details: [['Size', '2P']] },
        { name: 'Trap', link: undefined, thumbnail: undefined, menus: [{ name: 'Buy' }] },
      ],
    });
  });

  it('tells a hand-over and a broken stream apart from text', () => {
    expect(
      botParts([
        item({ llm_answer: 'Connecting you.', message_end: true }),
        item({
          robot_answer_message_type: 'THIRD_ANSWER_INFO',
          answer_type: 'TRANSFER_INTENTION',
          llm_answer: '[Hand-over] x',
          message_end: true,
        }),
      ]),
    ).toEqual([
      { kind: 'text', text: 'Connecting you.' },
      { kind: 'handover', summary: '[Hand-over] x' },
    ]);
    expect(
      botParts([item({ llm_answer: 'Half' }), item({ robot_answer_message_type: 'ERROR_END', message_end: true })]),
    ).toEqual([{ kind: 'text', text: 'Half' }, { kind: 'error-end' }]);
  });
});
