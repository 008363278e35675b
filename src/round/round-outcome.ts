import type { AnswerEvent, AnswerFailure, HandoverSummary, ProcessStep } from '../answer/answer-source.js';
import { detectLanguage } from '../answer/language.js';
import type { ItemEncoder } from '../sobot/item-encoder.js';
import type { AnswerType, ThirdAlgorithmResponseItem } from '../sobot/schemas/response.js';
import type { RoundCompletion } from '../store/round-store.js';

export type AnswerEnd = Extract<AnswerEvent, { type: 'finish' | 'error' | 'unanswered' }>;

export interface OutcomeInput {
  encoder: ItemEncoder;
  /** How the source ended; undefined when there was no source to ask.  */
  end: AnswerEnd | undefined;
  /** A workflow step (buttons, cards) to close with, or a hand-over. */
  step?: ProcessStep | undefined;
  handover?: HandoverSummary | undefined;
  /** The text already produced (and, when streaming, already sent). */
  text: string;
  streaming: boolean;
  /** The service stopped the round, not its caller leaving: the caller still waits, and is owed an end. */
  cutByShutdown: boolean;
  sourceAnswerType: AnswerType;
  provisionalLan: string;
  fallbackText: string;
}

export type RoundOutcome = Pick<
  RoundCompletion,
  'status' | 'answerText' | 'answerType' | 'lan' | 'success' | 'error'
> & {
  /** Stored and returned for non-streaming rounds: one whole MESSAGE, then the closing item. */
  items: ThirdAlgorithmResponseItem[];
  /** Streaming only: what still has to go out after the deltas. */
  tail: ThirdAlgorithmResponseItem[];
};

/**
 * The rules for how a round ends (see the README's protocol section):
 * - answered: the text, then THIRD_ANSWER_INFO with success true (false, status unanswered, for text
 *   that is not an answer, such as suggestions);
 * - failed after text reached the visitor (streaming): one ERROR_END closes the stream;
 * - failed before any text was shown, or nothing could answer: the fallback text, answer_type UNKNOWN,
 *   success false — an ordinary answer, never an HTTP error;
 * - the client went away: stored as aborted (a retry answers afresh), nothing more is sent;
 * - cut off by a shutdown while the caller waits: stored as aborted too, but its reply ends as a failure's.
 */
export function decideOutcome(input: OutcomeInput): RoundOutcome {
  const { encoder, text } = input;
  const end = input.end?.type === 'unanswered' ? undefined : input.end;
  if (end?.type === 'finish') {
    const lan = detectLanguage(text, input.provisionalLan);
    const success = end.success ?? true;
    const info = { answerType: end.answerType, success, lan };
    const closing = input.step
      ? encoder.processInfo(input.step, info)
      : input.handover
        ? encoder.handover(input.handover, info)
        : encoder.answerInfo(info);
    return {
      status: success ? 'succeeded' : 'unanswered',
      answerText: text,
      answerType: end.answerType,
      lan,
      success,
      // A step with no text (cards alone) is just its closing item.
      items: text ? [encoder.message(text, lan, end.answerType), closing] : [closing],
      tail: text ? [encoder.endOfMessage(lan, end.answerType), closing] : [closing],
    };
  }
  const aborted = end?.failure.kind === 'aborted';
  const gone = aborted && !input.cutByShutdown;
  if (end && (gone || (input.streaming && text !== ''))) {
    const lan = detectLanguage(text, input.provisionalLan);
    const errorEnd = encoder.errorEnd(lan);
    return {
      status: aborted ? 'aborted' : 'failed',
      answerText: text,
      answerType: input.sourceAnswerType,
      lan,
      success: false,
      error: describeFailure(end.failure),
      items: [encoder.message(text, lan, input.sourceAnswerType), errorEnd],
      tail: gone ? [] : [errorEnd],
    };
  }
  const lan = detectLanguage(input.fallbackText, input.provisionalLan);
  const items = [
    encoder.message(input.fallbackText, lan, 'UNKNOWN'),
    encoder.answerInfo({ answerType: 'UNKNOWN', success: false, lan }),
  ];
  return {
    status: aborted ? 'aborted' : end ? 'failed' : 'unanswered',
    answerText: input.fallbackText,
    answerType: 'UNKNOWN',
    lan,
    success: false,
    error: end ? describeFailure(end.failure) : undefined,
    items,
    tail: items,
  };
}

function describeFailure(failure: AnswerFailure): string {
  return `${failure.kind}: ${failure.message}`;
}
