/**
 * What the model may do besides answering: start a configured workflow, offer choices as buttons, show
 * products as cards, hand the visitor to a human. Arguments are checked against these schemas before
 * anything reaches the visitor; a call that fails them is ignored (and logged).
 */
import { z } from 'zod';
import type { ToolDefinition } from '../answer/answer-source.js';
import type { Workflow } from './workflow-schema.js';

/** The longest button label offered: longer ones do not fit a button on a phone. */
export const MAX_CHOICE_LABEL = 40;

export const offerChoicesArguments = z.strictObject({
  // Empty when the question was already said (a peer's quick replies follow its text).
  prompt: z.string().trim().max(200).default(''),
  options: z.array(z.string().trim().min(1).max(MAX_CHOICE_LABEL)).min(2).max(6),
});

export const showProductsArguments = z.strictObject({
  guide: z.string().trim().min(1).max(200),
  products: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(80),
        price: z
          .string()
          .regex(/^\d+(\.\d+)?$/)
          .optional(),
        currency: z.string().max(8).optional(),
        image: z.url({ protocol: /^https?$/ }).optional(),
        description: z.string().max(300).optional(),
        link: z.url({ protocol: /^https?$/ }).optional(),
      }),
    )
    .min(1)
    .max(10),
});

export const handOverArguments = z.strictObject({
  reason: z.string().trim().min(1).max(200),
  summary: z.string().trim().min(1).max(500),
});

export const answerStepArguments = z.strictObject({ value: z.string().trim().min(1).max(200) });

export const TOOL_NAMES = {
  startWorkflow: 'start_workflow',
  offerChoices: 'offer_choices',
  showProducts: 'show_products',
  handOver: 'hand_over',
  answerStep: 'answer_step',
} as const;

export function startWorkflowArguments(workflows: Workflow[]) {
  return z.strictObject({ workflow: z.enum(workflows.map((workflow) => workflow.id) as [string, ...string[]]) });
}

const definition = (name: string, description: string, schema: z.ZodType): ToolDefinition => ({
  name,
  description,
  parameters: z.toJSONSchema(schema) as Record<string, unknown>,
});

/** The tools offered when the visitor is not in the middle of a workflow. */
export function conversationTools(workflows: Workflow[]): ToolDefinition[] {
  const tools = [
    definition(TOOL_NAMES.offerChoices, 'Offer the visitor a few choices as buttons.', offerChoicesArguments),
    definition(
      TOOL_NAMES.showProducts,
      'Show products to the visitor as cards they can pick from.',
      showProductsArguments,
    ),
    definition(
      TOOL_NAMES.handOver,
      'Hand the visitor over to a human agent, when they ask for one or you cannot help.',
      handOverArguments,
    ),
  ];
  if (workflows.length > 0) {
    const list = workflows.map((workflow) => `- ${workflow.id}: ${workflow.name}. ${workflow.description}`).join('\n');
    tools.unshift(
      definition(
        TOOL_NAMES.startWorkflow,
        `Start a guided workflow when the visitor's request fits one of these:\n${list}`,
        startWorkflowArguments(workflows),
      ),
    );
  }
  return tools;
}

/** The tool offered while a step waits on the visitor: their message may answer it. */
export function answerStepTool(prompt: string, options?: string[]): ToolDefinition {
  const values = options?.length ? ` One of: ${options.join(', ')}.` : '';
  return definition(
    TOOL_NAMES.answerStep,
    `The visitor was asked: "${prompt}". If their message answers it, call this with the answer.${values} ` +
      'If their message is about something else, do not call it: answer them normally instead.',
    answerStepArguments,
  );
}
