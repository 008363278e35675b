import type { ProcessStep } from '../answer/answer-source.js';

/** The step a conversation is waiting on; every click and typed answer is checked against it. */
export type PendingOffer =
  | { kind: 'choice'; processId: string; nodeId: string; variable: string; prompt: string; options: string[] }
  /** `asText`: shown as a numbered text list because the cards could not be shown as cards. */
  | (Extract<ProcessStep, { kind: 'cards' }> & { asText: boolean })
  | { kind: 'text'; processId: string; nodeId: string; variable: string; prompt: string };

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
