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
    answerInfo: (info) => ({
      answer_type: info.answerType,
      robot_answer_message_type: 'THIRD_ANSWER_INFO',
      lan: info.lan,
      llm_answer: '',
      ...echo,
      success: info.success,
      hit_sensitive_word: false,
      message_end: true,
    }),
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
