import type { PendingOffer } from './workflow-session.js';

/** A click as the workflows see it, whatever Sobot's payload looked like. */
export type Click =
  | { kind: 'choice'; processId: string; nodeId: string; variable: string; value: string }
  | {
      kind: 'card';
      processId: string;
      nodeId: string;
      values: Array<{ variable?: string | undefined; value: string }>;
      button?: string | undefined;
      cardName?: string | undefined;
    };

export type ClickCheck =
  | { ok: true; variables: Record<string, string>; button?: string | undefined; label: string }
  /** `clicked`: what the click carried, apart from the reason, so the log can redact it as the visitor's. */
  | { ok: false; reason: string; clicked?: string | undefined };

/**
 * A click counts only if it answers exactly what this conversation was offered: same process and node,
 * the offered variable, an offered value (and, for cards, an offered button). Anything else — stale
 * (an older step), foreign (another workflow) or forged — is refused with the reason.
 */
export function checkClick(pending: PendingOffer, click: Click): ClickCheck {
  if (click.processId !== pending.processId || click.nodeId !== pending.nodeId) {
    return {
      ok: false,
      reason: `click for ${click.processId}/${click.nodeId}, waiting on ${pending.processId}/${pending.nodeId}`,
    };
  }
  if (pending.kind === 'choice' && click.kind === 'choice') {
    if (click.variable !== pending.variable) return { ok: false, reason: `variable ${click.variable} was not offered` };
    const option = pending.options.find((candidate) => candidate === click.value);
    if (option === undefined) return { ok: false, reason: 'the value was not offered', clicked: click.value };
    return { ok: true, variables: { [pending.variable]: option }, label: option };
  }
  if (pending.kind === 'cards' && click.kind === 'card') {
    const value = click.values.find((entry) => entry.variable === pending.variable)?.value;
    const card = pending.cards.find((candidate) => candidate.value === value);
    if (!card) return { ok: false, reason: `no offered card has that ${pending.variable}`, clicked: value };
    if (click.button !== undefined && !pending.buttons.some((button) => button.name === click.button)) {
      return { ok: false, reason: 'the button was not offered', clicked: click.button };
    }
    return { ok: true, variables: { [pending.variable]: card.value }, button: click.button, label: card.name };
  }
  return { ok: false, reason: `a ${click.kind} click does not answer a ${pending.kind} step` };
}

/**
 * A typed answer to the pending step, when it is one: an option's text or number, a card's name or
 * number, or free text that passes the step's check. Undefined when the text does not answer it.
 */
export function acceptTyped(
  pending: PendingOffer,
  text: string,
  check: (value: string) => boolean,
): { variables: Record<string, string>; label: string } | undefined {
  const typed = text.trim();
  const byNumber = /^\d{1,2}$/.test(typed) ? Number(typed) - 1 : -1;
  if (pending.kind === 'choice') {
    const option =
      pending.options[byNumber] ?? pending.options.find((candidate) => candidate.toLowerCase() === typed.toLowerCase());
    return option === undefined ? undefined : { variables: { [pending.variable]: option }, label: option };
  }
  if (pending.kind === 'cards') {
    const card =
      pending.cards[byNumber] ??
      pending.cards.find((candidate) => candidate.name.toLowerCase() === typed.toLowerCase());
    return card === undefined ? undefined : { variables: { [pending.variable]: card.value }, label: card.name };
  }
  return typed && check(typed) ? { variables: { [pending.variable]: typed }, label: typed } : undefined;
}
