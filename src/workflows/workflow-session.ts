import { z } from 'zod';
import { cardButtonSchema, offeredCardSchema } from './cards.js';

const stepIds = { processId: z.string(), nodeId: z.string(), variable: z.string() };

/**
 * The step a conversation is waiting on; every click and typed answer is checked against it. Stored as
 * JSON with the session and parsed when read back: a row may have been written by an earlier build.
 */
export const pendingOfferSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('choice'), ...stepIds, prompt: z.string(), options: z.array(z.string()) }),
  z.object({
    kind: z.literal('cards'),
    ...stepIds,
    guide: z.string(),
    cards: z.array(offeredCardSchema),
    buttons: z.array(cardButtonSchema),
    /** Shown as a numbered text list, because the cards could not be shown as cards. */
    asText: z.boolean(),
  }),
  z.object({ kind: z.literal('text'), ...stepIds, prompt: z.string() }),
]);
export type PendingOffer = z.output<typeof pendingOfferSchema>;

/** A session's stored JSON columns, as they are read back. */
export const storedSessionSchema = z.object({
  variables: z.record(z.string(), z.string()),
  pending: pendingOfferSchema.nullable(),
});

export interface WorkflowSession {
  cid: string;
  /** A configured workflow's id, or `assistant` for choices and cards the model offered on its own. */
  workflowId: string;
  nodeId: string;
  variables: Record<string, string>;
  pending?: PendingOffer | undefined;
  startedAt: number;
}

export const ASSISTANT_PROCESS = 'assistant';

export interface WorkflowSessionStore {
  /** The conversation's session, unless there is none or it has expired. */
  get(cid: string, now: number): Promise<WorkflowSession | undefined>;
  save(session: WorkflowSession, now: number, expiresAt: number): Promise<void>;
  clear(cid: string): Promise<void>;
}
