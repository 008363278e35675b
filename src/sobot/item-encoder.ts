import type { HandoverSummary, ProcessStep } from '../answer/answer-source.js';
import { cardsInterfaceInfo } from './cards-interface-info.js';
import type { ThirdAlgorithmRequest } from './schemas/request.js';
import type { AnswerType, ThirdAlgorithmResponseItem } from './schemas/response.js';

export interface ClosingInfo {
  answerType: AnswerType;
  success: boolean;
  lan: string;
}

/**
 * The only place that knows Sobot's item names. Every item echoes `roundid`, `companyid` and, when
 * Sobot sent them, `runtimeid` and `questionid`.
 */
export interface ItemEncoder {
  /** A streamed text delta: MESSAGE with `message_end: false`. */
  delta(text: string, lan: string, answerType: AnswerType): ThirdAlgorithmResponseItem;
  /**
   * Closes the streamed message: an empty MESSAGE with `message_end: true`. Deltas go out the moment
   * the model yields them, so the last one cannot know it is last; this marker carries the flag instead.
   */
  endOfMessage(lan: string, answerType: AnswerType): ThirdAlgorithmResponseItem;
  /** A whole message at once (non-streaming replies and replays). */
  message(text: string, lan: string, answerType: AnswerType): ThirdAlgorithmResponseItem;
  /** The closing THIRD_ANSWER_INFO; its text is empty because the MESSAGE items carried it. */
  answerInfo(info: ClosingInfo): ThirdAlgorithmResponseItem;
  /** The closing THIRD_PROCESS_INFO of a workflow step: buttons (the enum fields) or cards (interface info). */
  processInfo(step: ProcessStep, info: ClosingInfo): ThirdAlgorithmResponseItem;
  /**
   * The closing item of a hand-over: TRANSFER_INTENTION, carrying the summary for the agent as its text
   * (the visitor already read the hand-over message in the MESSAGE items).
   */
  handover(summary: HandoverSummary, info: ClosingInfo): ThirdAlgorithmResponseItem;
  /** Ends a stream that broke after text went out. */
  errorEnd(lan: string): ThirdAlgorithmResponseItem;
}

export function createItemEncoder(request: ThirdAlgorithmRequest): ItemEncoder {
  const echo = {
    roundid: request.roundid,
    companyid: request.companyid ?? '',
    ...(request.runtimeid ? { runtimeid: request.runtimeid } : {}),
    ...(request.questionid ? { questionid: request.questionid } : {}),
  };
  const closing = (info: ClosingInfo): ThirdAlgorithmResponseItem => ({
    answer_type: info.answerType,
    robot_answer_message_type: 'THIRD_ANSWER_INFO',
    lan: info.lan,
    llm_answer: '',
    ...echo,
    success: info.success,
    hit_sensitive_word: false,
    message_end: true,
  });
  const messageItem = (
    text: string,
    lan: string,
    answerType: AnswerType,
    messageEnd: boolean,
  ): ThirdAlgorithmResponseItem => ({
    answer_type: answerType,
    robot_answer_message_type: 'MESSAGE',
    lan,
    llm_answer: text,
    ...echo,
    message_end: messageEnd,
  });
  return {
    delta: (text, lan, answerType) => messageItem(text, lan, answerType, false),
    endOfMessage: (lan, answerType) => messageItem('', lan, answerType, true),
    message: (text, lan, answerType) => messageItem(text, lan, answerType, true),
    answerInfo: closing,
    processInfo: (step, info) => ({
      ...closing(info),
      robot_answer_message_type: 'THIRD_PROCESS_INFO',
      third_processid: step.processId,
      third_nodeid: step.nodeId,
      third_variable_id: step.variable,
      ...(step.kind === 'buttons'
        ? { third_variable_value_enums: step.options }
        : { third_interface_info: cardsInterfaceInfo(step.guide, step.variable, step.cards, step.buttons) }),
    }),
    handover: (summary, info) => ({ ...closing(info), llm_answer: handoverText(summary) }),
    errorEnd: (lan) => ({
      answer_type: 'UNKNOWN',
      robot_answer_message_type: 'ERROR_END',
      lan,
      llm_answer: '',
      ...echo,
      success: false,
      hit_sensitive_word: false,
      message_end: true,
    }),
  };
}

/** One readable block for the agent taking over: why, what the visitor wants, what was collected. */
function handoverText(summary: HandoverSummary): string {
  const collected = Object.entries(summary.variables).map(([name, value]) => `${name}=${value}`);
  return [
    `[Hand-over] ${summary.reason}`,
    `Visitor wants: ${summary.request}`,
    ...(collected.length > 0 ? [`Collected: ${collected.join(', ')}`] : []),
  ].join('\n');
}
