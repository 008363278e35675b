import type { KnowledgeRef } from '../knowledge/knowledge-entry.js';
import type { CardButton, OfferedCard } from '../workflows/cards.js';
import type { Click } from '../workflows/clicks.js';
import type { ChannelContext } from '../workflows/enterprise-interface.js';
import type { AnswerType } from '../sobot/schemas/response.js';

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export type FailureKind = 'timeout' | 'upstream' | 'aborted' | 'empty';

export interface AnswerFailure {
  kind: FailureKind;
  message: string;
}

/**
 * What an answer source produces: `text-delta`s and the events that describe the answer (`source`, `step`,
 * `handover`, `raw`, `tool-call`), then exactly one of `finish`, `unanswered` or `error`. Sources know
 * nothing of Sobot's wire names; the round's encoder turns these into items.
 */
export type AnswerEvent =
  /** `answerType`, when the source already knows it, labels the MESSAGE items before `finish`. */
  | { type: 'text-delta'; text: string; answerType?: AnswerType | undefined }
  /** Knowledge the answer draws on (or suggests); recorded with the round. */
  | { type: 'source'; ref: KnowledgeRef }
  /** `success: false` marks text that is not a real answer (e.g. suggestions): batch tests count it failed. */
  | ({ type: 'finish'; answerType: AnswerType; success?: boolean | undefined } & EndDetails)
  /** A workflow step to show after the text: buttons or cards. At most one per answer. */
  | { type: 'step'; step: ProcessStep }
  /** The visitor goes to a human agent; the summary is for the agent. */
  | { type: 'handover'; summary: HandoverSummary }
  /** What a peer platform returned, verbatim, kept with the round for diagnosis. */
  | { type: 'raw'; peer: string; body: string }
  /** The model (or a peer's quick replies, as `offer_choices`) asks for a tool; workflows consume these. */
  | { type: 'tool-call'; id: string; name: string; arguments: string }
  /** Nothing to say: the round answers with the fallback text. */
  | { type: 'unanswered' }
  | ({ type: 'error'; failure: AnswerFailure } & EndDetails);

interface EndDetails {
  /** What actually answered, when a routing source delegated (e.g. `faq`, `llm`); stored with the round. */
  via?: string | undefined;
  model?: string | undefined;
  usage?: TokenUsage | undefined;
}

export type ProcessStep =
  | { kind: 'buttons'; processId: string; nodeId: string; variable: string; options: string[] }
  | {
      kind: 'cards';
      processId: string;
      nodeId: string;
      variable: string;
      guide: string;
      cards: OfferedCard[];
      buttons: CardButton[];
    };

export interface HandoverSummary {
  reason: string;
  /** What the visitor wants, in a sentence. */
  request: string;
  /** Workflow variables collected so far. */
  variables: Record<string, string>;
}

/** A tool the model may call; `parameters` is a JSON Schema. */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A passage of knowledge put into the model's prompt. */
export interface Grounding {
  title: string;
  text: string;
}

/** A visitor message as a model sees it: text, and an image when Sobot sent one. */
export interface UserMessage {
  text: string;
  imageUrl?: string | undefined;
}

export interface Turn {
  user: UserMessage;
  answer: string;
}

/** Facts Sobot passes about the robot and visitor, available to prompts. */
export interface PromptFacts {
  robotName?: string | undefined;
  robotRemark?: string | undefined;
  variables: Array<{ name: string; value: string }>;
  params: Record<string, unknown>;
}

/** The conversation a round belongs to, and who it is for (enterprise interfaces receive this). */
export interface ConversationContext {
  cid: string;
  channel: ChannelContext;
}

export interface AnswerRequest {
  conversation: ConversationContext;
  message: UserMessage;
  /** The visitor clicked a button or card; `message` then describes the click in words. */
  click?: Click | undefined;
  history: Turn[];
  facts: PromptFacts;
  /** Sobot's debug robot (THIRD_DEBUG, SELF_DEBUG…): use the draft model and prompt when configured. */
  debug: boolean;
  /** Sobot asked for a streamed reply (peers with a streaming mode use it then). */
  streaming: boolean;
  /**
   * Of use only promptly, with nobody holding a connection for it: a copilot suggestion for a human agent. It
   * gives up waiting for a model slot after the first-token deadline (`limit-concurrency.ts`).
   */
  timely?: boolean | undefined;
  /** Knowledge to answer from, when the knowledge base found any. */
  grounding?: Grounding[] | undefined;
  /** Tools the model may call instead of (or after) answering. */
  tools?: ToolDefinition[] | undefined;
}

export interface AnswerSource {
  /** Stored with the round, e.g. `llm`. */
  readonly name: string;
  /** The answer_type its text usually has, for MESSAGE items sent before `finish` says for sure. */
  readonly answerType: AnswerType;
  answer(request: AnswerRequest, signal: AbortSignal): AsyncIterable<AnswerEvent>;
}
