import { query } from 'jsonpath-rfc9535';
import { z } from 'zod';
import { httpUrl } from '../util/http-url.js';
import { offeredCardSchema } from './cards.js';
import { ASSISTANT_PROCESS } from './workflow-session.js';

/**
 * The workflow part of the bridge's config file (`bridge.yaml`). One schema per node kind; the README's
 * "Workflows" section documents them with an example. Cross-references (next nodes, interfaces) are
 * checked after parsing, so a typo in a node id is reported where it is written.
 */

const identifier = z
  .string()
  .regex(/^[A-Za-z][\w-]*$/, { error: 'use letters, digits, - and _, starting with a letter' });
const variableName = z
  .string()
  .regex(/^[A-Za-z_]\w*$/, { error: 'use letters, digits and _, starting with a letter or _' });
const text = z.string().trim().min(1, { error: 'must not be empty' });
const jsonPath = z.string().refine(
  (expression) => {
    try {
      query({}, expression);
      return true;
    } catch {
      return false;
    }
  },
  { error: 'is not a valid JSONPath expression (RFC 9535), e.g. $.data.items[*]' },
);
const regex = z.string().refine(
  (pattern) => {
    try {
      new RegExp(pattern, 'u');
      return true;
    } catch {
      return false;
    }
  },
  { error: 'is not a valid regular expression' },
);

/** An enterprise interface, as Sobot's "Instructions for AI agent calling enterprise interfaces" define them. */
export const interfaceSchema = z.strictObject({
  url: httpUrl,
  headers: z.record(z.string(), z.string()).default({}),
  timeout_ms: z.number().int().min(100).max(60_000).default(5000),
});
export type InterfaceDefinition = z.output<typeof interfaceSchema>;

const interfaceCall = {
  /** A name from the file's `interfaces`. */
  interface: identifier,
  /** Custom request parameters, sent beside the fixed ones; values may use {{variables}}. */
  params: z.record(z.string(), z.string()).default({}),
};

/** What a product card shows; in `show-cards` from an interface, each value is a JSONPath into one item. */
const cardSchema = z.strictObject({
  ...offeredCardSchema.shape,
  name: text,
  /** Stored in the node's variable when the card is clicked. */
  value: text,
});
export type CardDefinition = z.output<typeof cardSchema>;

const buttonSchema = z.strictObject({
  name: text,
  /** A link button opens `link` (Sobot's "custom"); a send button clicks the card back to us. */
  link: z.url().optional(),
});

const next = { next: identifier.optional() };

export const nodeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('say'), text, ...next }),
  z.strictObject({
    kind: z.literal('ask-choice'),
    prompt: text,
    variable: variableName,
    options: z.array(text).min(1).max(10, { error: 'at most 10 options fit as buttons' }),
    ...next,
  }),
  z.strictObject({
    kind: z.literal('ask-text'),
    prompt: text,
    variable: variableName,
    type: z.enum(['text', 'number']).default('text'),
    pattern: regex.optional(),
    retry_prompt: text.optional(),
    ...next,
  }),
  z.strictObject({
    kind: z.literal('show-cards'),
    guide: text,
    variable: variableName,
    buttons: z
      .array(buttonSchema)
      .min(1)
      .max(3, { error: 'at most 3 buttons per card' })
      .default([{ name: 'Choose' }]),
    cards: z.array(cardSchema).min(1).optional(),
    /** Cards from an interface: `items` selects the list, `card` maps each item's fields (JSONPath per field). */
    from: z
      .strictObject({
        ...interfaceCall,
        items: jsonPath,
        card: z.strictObject({
          name: jsonPath,
          value: jsonPath,
          header: z.record(z.string(), jsonPath).optional(),
          fields: z.record(z.string(), jsonPath).optional(),
          thumbnail: jsonPath.optional(),
          amount: jsonPath.optional(),
          currency: jsonPath.optional(),
          description: jsonPath.optional(),
          link: jsonPath.optional(),
        }),
      })
      .optional(),
    on_error: identifier.optional(),
    ...next,
  }),
  z.strictObject({
    kind: z.literal('call-interface'),
    ...interfaceCall,
    /** Variable ← JSONPath into the JSON reply. */
    extract: z.record(variableName, jsonPath).default({}),
    on_error: identifier,
    ...next,
  }),
  z.strictObject({
    kind: z.literal('branch'),
    variable: variableName,
    cases: z.record(z.string(), identifier),
    default: identifier,
  }),
  z.strictObject({ kind: z.literal('handover'), text, reason: text }),
  z.strictObject({ kind: z.literal('end'), text: text.optional() }),
]);
export type WorkflowNode = z.output<typeof nodeSchema>;

export const workflowSchema = z.strictObject({
  id: identifier,
  name: text,
  /** Shown to the model, which may start the workflow when a visitor's message fits it. */
  description: text,
  /** Keywords (matched as words, case-insensitively) or /regular expressions/flags. */
  triggers: z.array(text).default([]),
  start: identifier,
  nodes: z.record(identifier, nodeSchema),
});
export type Workflow = z.output<typeof workflowSchema>;

export const workflowSettingsSchema = z.strictObject({
  workflows: z.array(workflowSchema).default([]),
  interfaces: z.record(identifier, interfaceSchema).default({}),
  /** A conversation's workflow state is forgotten after this long without a message. */
  idle_seconds: z
    .number()
    .int()
    .min(10)
    .max(7 * 86_400)
    .default(1800),
  /** Phrases with which a visitor leaves a workflow. */
  exit_phrases: z.array(text).default(['cancel', 'quit', 'stop', 'exit', '取消', '退出', '不用了']),
});
export type WorkflowSettings = z.output<typeof workflowSettingsSchema>;

/** Every reference must lead somewhere: start, next, on_error, branch targets, interfaces; ids unique. */
export function checkWorkflowReferences(settings: WorkflowSettings, context: z.RefinementCtx) {
  const seen = new Set<string>();
  settings.workflows.forEach((workflow, index) => {
    const at = (...path: Array<string | number>) => ['workflows', index, ...path];
    if (seen.has(workflow.id))
      context.addIssue({ code: 'custom', path: at('id'), message: `workflow id "${workflow.id}" is used twice` });
    seen.add(workflow.id);
    if (workflow.id === ASSISTANT_PROCESS) {
      context.addIssue({
        code: 'custom',
        path: at('id'),
        message: `workflow id "${ASSISTANT_PROCESS}" is reserved for the choices and cards the model offers`,
      });
    }
    const nodeIds = new Set(Object.keys(workflow.nodes));
    const target = (id: string | undefined, ...path: Array<string | number>) => {
      if (id !== undefined && !nodeIds.has(id)) {
        context.addIssue({
          code: 'custom',
          path: at(...path),
          message: `no node "${id}" in workflow "${workflow.id}"`,
        });
      }
    };
    target(workflow.start, 'start');
    for (const [id, node] of Object.entries(workflow.nodes)) {
      if ('next' in node) target(node.next, 'nodes', id, 'next');
      if ('on_error' in node) target(node.on_error, 'nodes', id, 'on_error');
      if (node.kind === 'branch') {
        target(node.default, 'nodes', id, 'default');
        for (const [value, caseTarget] of Object.entries(node.cases)) target(caseTarget, 'nodes', id, 'cases', value);
      }
      const call = node.kind === 'call-interface' ? node : node.kind === 'show-cards' ? node.from : undefined;
      if (call && !Object.hasOwn(settings.interfaces, call.interface)) {
        const path = node.kind === 'call-interface' ? ['interface'] : ['from', 'interface'];
        context.addIssue({
          code: 'custom',
          path: at('nodes', id, ...path),
          message: `no interface "${call.interface}" under interfaces`,
        });
      }
      if (node.kind === 'show-cards' && !node.cards === !node.from) {
        context.addIssue({
          code: 'custom',
          path: at('nodes', id),
          message: 'give either cards or from, not both or neither',
        });
      }
    }
  });
}
