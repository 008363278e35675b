import type { AnswerEvent } from '../answer/answer-source.js';
import type { Logger } from '../runtime/logger.js';
import type { ZodType } from 'zod';
import {
  answerStepArguments,
  handOverArguments,
  offerChoicesArguments,
  showProductsArguments,
  startWorkflowArguments,
  TOOL_NAMES,
} from './model-tools.js';
import type { OfferedChoices, OfferedProducts } from './model-offers.js';
import type { Workflow } from './workflow-schema.js';

type Events = AsyncIterable<AnswerEvent>;

/** What each tool does once its arguments are valid; each returns the events that end the answer. */
export interface ToolHandlers {
  workflows: Workflow[];
  logger: Logger;
  startWorkflow(workflow: Workflow): Events;
  offerChoices(choices: OfferedChoices): Events;
  showProducts(products: OfferedProducts): Events;
  handOver(reason: string, summary: string): Events;
  /**
   * Only while a step waits: the step answered with the value, or asked again when the value fails its
   * checks; undefined when no step waits any more, and the model's own ending stands.
   */
  answerStep?: ((value: string) => Promise<Events | undefined>) | undefined;
}

/**
 * Passes an answer's events through and, when the model called a tool, replaces the answer's ending with
 * what the tool does. Only the first valid call counts; calls whose arguments fail their schema are
 * logged and ignored, and the model's own ending stands.
 */
export async function* withToolCalls(events: Events, handlers: ToolHandlers): AsyncGenerator<AnswerEvent> {
  const calls: Array<Extract<AnswerEvent, { type: 'tool-call' }>> = [];
  let ending: AnswerEvent | undefined;
  for await (const event of events) {
    if (event.type === 'tool-call') calls.push(event);
    else if (event.type === 'finish' || event.type === 'error' || event.type === 'unanswered') ending = event;
    else yield event;
  }
  if (ending?.type !== 'error') {
    for (const call of calls) {
      const outcome = await runTool(call, handlers);
      if (outcome) {
        yield* outcome;
        return;
      }
    }
  }
  if (ending) yield ending;
}

async function runTool(call: { name: string; arguments: string }, handlers: ToolHandlers): Promise<Events | undefined> {
  const parse = <T>(schema: ZodType<T>): T | undefined => {
    let json: unknown;
    try {
      json = JSON.parse(call.arguments || '{}');
    } catch {
      json = undefined;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      handlers.logger.warn('model tool call ignored: invalid arguments', {
        tool: call.name,
        arguments: call.arguments.slice(0, 500),
        problem: parsed.error.issues[0]?.message,
      });
      return undefined;
    }
    return parsed.data;
  };
  switch (call.name) {
    case TOOL_NAMES.startWorkflow: {
      if (handlers.workflows.length === 0) return undefined;
      const args = parse(startWorkflowArguments(handlers.workflows));
      const workflow = args && handlers.workflows.find((candidate) => candidate.id === args.workflow);
      return workflow && handlers.startWorkflow(workflow);
    }
    case TOOL_NAMES.offerChoices: {
      const args = parse(offerChoicesArguments);
      return args && handlers.offerChoices(args);
    }
    case TOOL_NAMES.showProducts: {
      const args = parse(showProductsArguments);
      return args && handlers.showProducts(args);
    }
    case TOOL_NAMES.handOver: {
      const args = parse(handOverArguments);
      return args && handlers.handOver(args.reason, args.summary);
    }
    case TOOL_NAMES.answerStep: {
      const args = handlers.answerStep && parse(answerStepArguments);
      return args && handlers.answerStep!(args.value);
    }
    default:
      handlers.logger.warn('model called an unknown tool', { tool: call.name });
      return undefined;
  }
}
