import { phraseMatcher } from '../util/phrase-matcher.js';
import type { ProcessStep } from '../answer/answer-source.js';
import type { Workflow } from './workflow-schema.js';
import type { PendingOffer, WorkflowSession } from './workflow-session.js';
import { ownEntry } from '../util/own-entry.js';

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
  const node = nodeOf(workflows, session);
  if (node?.kind !== 'ask-text') return true;
  if (node.type === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) return false;
  return node.pattern === undefined || new RegExp(node.pattern, 'u').test(value);
}

export function retryPrompt(workflows: Map<string, Workflow>, session: WorkflowSession): string | undefined {
  const node = nodeOf(workflows, session);
  return node?.kind === 'ask-text' ? node.retry_prompt : undefined;
}

/** A stored session's node: a node since renamed away may be spelled like a builtin (`toString`). */
export function nodeOf(workflows: Map<string, Workflow>, session: WorkflowSession) {
  const workflow = workflows.get(session.workflowId);
  return workflow && ownEntry(workflow.nodes, session.nodeId);
}

/** `/pattern/flags` is a regular expression; anything else a keyword, matched as a whole word or phrase. */
export function triggerMatcher(trigger: string): (text: string) => boolean {
  const pattern = triggerRegex(trigger);
  return pattern ? (text) => pattern.test(text) : phraseMatcher(trigger);
}

/**
 * What the workflow's `/regex/` triggers find in the message that started it, the first of them that passes
 * its first step's checks: "Where is my order NW-123456?" has already answered "What is your order number?".
 */
export function givenByTrigger(
  workflow: Workflow,
  session: WorkflowSession,
  workflows: Map<string, Workflow>,
  text: string,
): string | undefined {
  if (session.nodeId !== workflow.start || session.pending?.kind !== 'text') return undefined;
  for (const trigger of workflow.triggers) {
    const found = triggerRegex(trigger)?.exec(text)?.[0];
    if (found && fitsTextStep(workflows, session, found)) return found;
  }
  return undefined;
}

function triggerRegex(trigger: string): RegExp | undefined {
  const regex = trigger.match(/^\/(.+)\/([a-z]*)$/);
  if (!regex) return undefined;
  // Without the g or y flag, `test` and `exec` keep no state between messages.
  const flags = regex[2]!.replace(/[gy]/g, '');
  return new RegExp(regex[1]!, flags.includes('u') ? flags : `${flags}u`);
}
