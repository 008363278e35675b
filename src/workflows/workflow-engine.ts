import { abortedFailure } from '../answer/aborted-failure.js';
import type { AnswerFailure, HandoverSummary, ProcessStep } from '../answer/answer-source.js';
import type { Logger } from '../runtime/logger.js';
import { cardProblem, cardsAsText, type OfferedCard } from './cards.js';
import { callEnterpriseInterface, pick, pickAll, type ChannelContext } from './enterprise-interface.js';
import { fillTemplate } from './template.js';
import type { PendingOffer, WorkflowSession } from './workflow-session.js';
import type { Workflow, WorkflowNode, WorkflowSettings } from './workflow-schema.js';
import { ownEntry } from '../util/own-entry.js';

export interface EngineDeps {
  settings: WorkflowSettings;
  fetch: typeof fetch;
  logger: Logger;
}

/** What running a workflow up to its next stop produced. */
export interface Advance {
  text: string[];
  step?: ProcessStep | undefined;
  handover?: HandoverSummary | undefined;
  /** The session to keep (waiting on `pending`), or undefined when the workflow is over. */
  session?: WorkflowSession | undefined;
  /** The round ended during an interface call: nothing is answered, and the session stays as it was. */
  cutOff?: AnswerFailure | undefined;
}

// Workflows may loop (a branch back to a question), but one round never runs more nodes than this.
const MAX_NODES_PER_ROUND = 50;

/**
 * Runs `workflow` from `nodeId` until a node waits for the visitor (a choice, cards, free text), hands
 * over, or the workflow ends. Interface failures take the node's `on_error` branch.
 */
export async function advanceWorkflow(
  deps: EngineDeps,
  workflow: Workflow,
  session: WorkflowSession,
  nodeId: string | undefined,
  context: { cid: string; channel: ChannelContext; visitorMessage: string; signal: AbortSignal },
): Promise<Advance> {
  const text: string[] = [];
  const variables = { ...session.variables };
  const fill = (template: string) => fillTemplate(template, variables);
  // The round ended during an interface call: nothing more runs, and nothing is kept.
  const cutOff = (): Advance => ({ text, cutOff: abortedFailure(context.signal, ' during an interface call') });
  const wait = (node: string, pending: PendingOffer, step?: ProcessStep): Advance => ({
    text,
    step,
    session: { ...session, nodeId: node, variables, pending },
  });

  let current = nodeId;
  for (let count = 0; current !== undefined && count < MAX_NODES_PER_ROUND; count++) {
    const id: string = current;
    const node: WorkflowNode = workflow.nodes[id]!;
    const processId = workflow.id;
    switch (node.kind) {
      case 'say':
        text.push(fill(node.text));
        current = node.next;
        break;
      case 'ask-choice': {
        text.push(fill(node.prompt));
        const options = node.options.map(fill);
        return wait(
          id,
          { kind: 'choice', processId, nodeId: id, variable: node.variable, prompt: fill(node.prompt), options },
          {
            kind: 'buttons',
            processId,
            nodeId: id,
            variable: node.variable,
            options,
          },
        );
      }
      case 'ask-text':
        text.push(fill(node.prompt));
        return wait(id, { kind: 'text', processId, nodeId: id, variable: node.variable, prompt: fill(node.prompt) });
      case 'show-cards': {
        const cards = node.cards
          ? node.cards.map((card) => fillCard(card, fill))
          : await cardsFromInterface(deps, workflow, id, node, context, variables);
        if (context.signal.aborted) return cutOff();
        if (!cards) {
          current = node.on_error;
          break;
        }
        const guide = fill(node.guide);
        const problem = cardProblem(guide, cards);
        const pending = {
          kind: 'cards' as const,
          processId,
          nodeId: id,
          variable: node.variable,
          guide,
          cards,
          buttons: node.buttons,
        };
        if (problem) {
          deps.logger.warn('cards cannot be shown as cards; sending a text list', {
            workflow: processId,
            node: id,
            problem,
          });
          text.push(cardsAsText(guide, cards));
          return wait(id, { ...pending, asText: true });
        }
        return wait(
          id,
          { ...pending, asText: false },
          { kind: 'cards', processId, nodeId: id, variable: node.variable, guide, cards, buttons: node.buttons },
        );
      }
      case 'call-interface': {
        const result = await callEnterpriseInterface(
          deps.fetch,
          deps.settings.interfaces[node.interface]!,
          { params: node.params, docId: `${processId}/${id}`, signal: context.signal },
          context.channel,
          variables,
        );
        if (context.signal.aborted) return cutOff();
        if (!result.ok) {
          deps.logger.warn('enterprise interface failed', {
            cid: context.cid,
            workflow: processId,
            node: id,
            interface: node.interface,
            error: result.error,
            reply: result.reply,
          });
          current = node.on_error;
          break;
        }
        for (const [variable, path] of Object.entries(node.extract))
          variables[variable] = pick(result.json, path) ?? '';
        current = node.next;
        break;
      }
      case 'branch':
        current = ownEntry(node.cases, variables[node.variable] ?? '') ?? node.default;
        break;
      case 'handover':
        text.push(fill(node.text));
        return {
          text,
          handover: { reason: fill(node.reason), request: `${workflow.name}: ${context.visitorMessage}`, variables },
        };
      case 'end':
        if (node.text) text.push(fill(node.text));
        return { text };
    }
  }
  if (current !== undefined)
    deps.logger.error('workflow ran too many nodes in one round; ended', { workflow: workflow.id });
  return { text };
}

function fillCard(card: OfferedCard, fill: (template: string) => string): OfferedCard {
  const record = (values: Record<string, string> | undefined) =>
    values && Object.fromEntries(Object.entries(values).map(([key, value]) => [fill(key), fill(value)]));
  return {
    name: fill(card.name),
    value: fill(card.value),
    header: record(card.header),
    fields: record(card.fields),
    thumbnail: card.thumbnail && fill(card.thumbnail),
    amount: card.amount && fill(card.amount),
    currency: card.currency && fill(card.currency),
    description: card.description && fill(card.description),
    link: card.link && fill(card.link),
  };
}

/** Cards from an interface's reply: `items` selects the list, each card field is a JSONPath into one item. */
async function cardsFromInterface(
  deps: EngineDeps,
  workflow: Workflow,
  nodeId: string,
  node: Extract<WorkflowNode, { kind: 'show-cards' }>,
  context: { cid: string; channel: ChannelContext; signal: AbortSignal },
  variables: Record<string, string>,
): Promise<OfferedCard[] | undefined> {
  const from = node.from!;
  const result = await callEnterpriseInterface(
    deps.fetch,
    deps.settings.interfaces[from.interface]!,
    { params: from.params, docId: `${workflow.id}/${nodeId}`, signal: context.signal },
    context.channel,
    variables,
  );
  if (context.signal.aborted) return undefined; // Not the interface's failure: the caller checks the signal.
  if (!result.ok) {
    deps.logger.warn('enterprise interface failed', {
      cid: context.cid,
      workflow: workflow.id,
      node: nodeId,
      interface: from.interface,
      error: result.error,
      reply: result.reply,
    });
    return undefined;
  }
  const at = (item: Parameters<typeof pick>[0], path: string | undefined) => (path ? pick(item, path) : undefined);
  const record = (item: Parameters<typeof pick>[0], paths: Record<string, string> | undefined) =>
    paths && Object.fromEntries(Object.entries(paths).map(([label, path]) => [label, at(item, path) ?? '']));
  return pickAll(result.json, from.items).map((item) => ({
    name: at(item, from.card.name) ?? '',
    value: at(item, from.card.value) ?? '',
    header: record(item, from.card.header),
    fields: record(item, from.card.fields),
    thumbnail: at(item, from.card.thumbnail),
    amount: at(item, from.card.amount),
    currency: at(item, from.card.currency),
    description: at(item, from.card.description),
    link: at(item, from.card.link),
  }));
}
