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
 * What an answer source produces, in order: text deltas, then exactly one `finish` or `error`.
 * Sources know nothing of Sobot's wire names; the round's encoder turns these into items.
 */
export type AnswerEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'finish'; answerType: AnswerType; model?: string | undefined; usage?: TokenUsage | undefined }
  | { type: 'error'; failure: AnswerFailure; model?: string | undefined; usage?: TokenUsage | undefined };

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

export interface AnswerRequest {
  message: UserMessage;
  history: Turn[];
  facts: PromptFacts;
  /** Sobot's debug robot (THIRD_DEBUG, SELF_DEBUG…): use the draft model and prompt when configured. */
  debug: boolean;
}

export interface AnswerSource {
  /** Stored with the round, e.g. `llm`. */
  readonly name: string;
  /** The answer_type its text usually has, for MESSAGE items sent before `finish` says for sure. */
  readonly answerType: AnswerType;
  answer(request: AnswerRequest, signal: AbortSignal): AsyncIterable<AnswerEvent>;
}
