import { phraseMatcher } from '../util/phrase-matcher.js';
import type { ProcessStep } from '../answer/answer-source.js';
import type { Workflow } from './workflow-schema.js';
import type { PendingOffer, WorkflowSession } from './workflow-session.js';

/** The buttons or cards that show a pending step again; a text step (or a text list) has none. */
export function stepOf(pending: PendingOffer): ProcessStep | undefined {
  const ids = { processId: pending.processId, nodeId: pending.nodeId, variable: pending.variable };
  if (pending.kind === 'choice') return { kind: 'buttons', ...ids, options: pending.options };
  if (pending.kind === 'cards' && !pending.asText) {
    return { kind: 'cards', ...ids, guide: pending.guide, cards: pending.cards, buttons: pending.buttons };
  }
  return undefined;
}

export function promptOf(pending: PendingOffer): string {
  return pending.kind === 'cards' ? pending.guide : pending.prompt;
}

/** An ask-text step's own check: a number when it asks for one, and its pattern when it has one. */
export function fitsTextStep(workflows: Map<string, Workflow>, session: WorkflowSession, value: string): boolean {
  const node = workflows.get(session.workflowId)?.nodes[session.nodeId];
  if (node?.kind !== 'ask-text') return true;
  if (node.type === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) return false;
  return node.pattern === undefined || new RegExp(node.pattern, 'u').test(value);
}

export function retryPrompt(workflows: Map<string, Workflow>, session: WorkflowSession): string | undefined {
  const node = workflows.get(session.workflowId)?.nodes[session.nodeId];
  return node?.kind === 'ask-text' ? node.retry_prompt : undefined;
}

/** `/pattern/flags` is a regular expression; anything else a keyword, matched as a whole word or phrase. */
export function triggerMatcher(trigger: string): (text: string) => boolean {
  const regex = trigger.match(/^\/(.+)\/([a-z]*)$/);
  if (regex) {
    const flags = regex[2]!.includes('u') ? regex[2]! : `${regex[2]}u`;
    const pattern = new RegExp(regex[1]!, flags);
    return (text) => pattern.test(text);
  }
  return phraseMatcher(trigger);
}
