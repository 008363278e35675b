import pc from 'picocolors';
import type { ReceivedCallback } from '../client/callback-receiver.js';
import { cardTitle, type Offer } from '../client/offers.js';
import type { ThirdAlgorithmResponseItem } from '../sobot/schemas/response.js';
import type { ChatView, Turn } from './chat-session.js';

export interface TerminalViewOptions {
  raw: boolean;
  write?: ((text: string) => void) | undefined;
}

/** Renders a chat as Sobot's visitor would see it: the bot's text as it streams, then its buttons and cards. */
export function createTerminalView(options: TerminalViewOptions): ChatView & { toggleRaw(): boolean } {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  let raw = options.raw;
  let speaking = false;
  const startSpeaking = () => {
    if (!speaking) write(pc.cyan('Bot  '));
    speaking = true;
  };
  const endSpeaking = () => {
    if (speaking) write('\n');
    speaking = false;
  };
  return {
    toggleRaw() {
      raw = !raw;
      return raw;
    },
    text(delta) {
      startSpeaking();
      write(delta);
    },
    item(item) {
      if (!raw) return;
      endSpeaking();
      write(pc.dim(`  ${JSON.stringify(item)}\n`));
    },
    answered(turn: Turn) {
      if (!turn.text && turn.closing?.llm_answer) {
        startSpeaking();
        write(turn.closing.llm_answer);
      }
      endSpeaking();
      if (turn.closing) write(pc.dim(`     ${describeClosing(turn.closing)} · ${Math.round(turn.reply.totalMs)} ms\n`));
      let number = 0;
      for (const offer of turn.offers) for (const line of offerLines(offer, () => ++number)) write(`${line}\n`);
    },
    callback(callback: ReceivedCallback) {
      endSpeaking();
      const closing = callback.items.findLast((item) => item.robot_answer_message_type !== 'MESSAGE');
      const text = callback.items
        .map((item) => item.llm_answer)
        .join('')
        .replace(/\s+/g, ' ');
      const status = callback.authorised ? pc.green('token ok') : pc.red('no valid token');
      write(
        pc.magenta(
          `  ↩ ${callback.kind} callback (${status}): ${closing ? describeClosing(closing) : ''} ${truncate(text, 80)}\n`,
        ),
      );
      for (const problem of callback.problems) write(pc.red(`    ✗ ${problem}\n`));
    },
    problem(message) {
      endSpeaking();
      write(pc.red(`  ✗ ${message}\n`));
    },
  };
}

function describeClosing(item: ThirdAlgorithmResponseItem): string {
  const success = item.success === undefined ? '' : item.success ? ' success' : ' not answered';
  return `${item.robot_answer_message_type} ${item.answer_type}${success}`;
}

function offerLines(offer: Offer, next: () => number): string[] {
  if (offer.kind === 'buttons') return offer.values.map((value) => `  ${pc.bold(`[${next()}]`)} ${value}`);
  const guide = offer.interfaceInfo.card_guide ? [pc.dim(`  ${offer.interfaceInfo.card_guide}`)] : [];
  return [
    ...guide,
    ...offer.cards.map((card) => {
      const price = card.custom_card_amount?.param_value
        ? ` ${card.custom_card_amount_symbol?.param_value ?? ''}${card.custom_card_amount.param_value}`
        : '';
      const description = card.custom_card_desc?.param_value ? pc.dim(` — ${card.custom_card_desc.param_value}`) : '';
      const buttons = card.custom_menus?.length
        ? pc.dim(` (buttons: ${card.custom_menus.map((menu) => menu.menu_name).join(', ')})`)
        : '';
      return `  ${pc.bold(`[${next()}]`)} ${cardTitle(card)}${price}${description}${buttons}`;
    }),
  ];
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
