import type { PromptFacts, UserMessage } from '../answer/answer-source.js';
import type { ChannelContext } from '../workflows/enterprise-interface.js';
import type { ThirdAlgorithmRequest } from '../sobot/schemas/request.js';
import type { Click } from '../workflows/clicks.js';
import { describeClick } from './click-text.js';
import { parseClick } from './parse-click.js';

/** What a round asks for, decided by `input_type_enum`. */
export type RoundIntent = { kind: 'welcome' } | { kind: 'message'; message: UserMessage; click?: Click | undefined };

export function roundIntent(request: ThirdAlgorithmRequest): RoundIntent {
  switch (request.input_type_enum.toUpperCase()) {
    case 'WELCOME':
      return { kind: 'welcome' };
    // A click goes to the workflows; its words are what the visitor chose, for everything else.
    case 'PROCESS_CLICK':
    case 'PROCESS_CARD_CLICK': {
      const click = parseClick(request)!;
      return { kind: 'message', message: { text: describeClick(request, click) }, click };
    }
    default:
      // INPUT, CLICK and spellings the document does not list are all a question to answer.
      return { kind: 'message', message: toUserMessage(request.msg_type, request.question, request.show_question) };
  }
}

/**
 * `msg_type: IMG` means `question` holds the image's URL. `show_question` may add text; when it only
 * repeats the URL there is none. A "picture" whose question is not a URL is answered as text.
 */
export function toUserMessage(msgType: string, question: string, showQuestion?: string): UserMessage {
  const trimmed = question.trim();
  if (msgType.toUpperCase() === 'IMG' && isImageUrl(trimmed)) {
    const text = showQuestion?.trim() ?? '';
    return { text: text === trimmed || isImageUrl(text) ? '' : text, imageUrl: trimmed };
  }
  return { text: question };
}

function isImageUrl(value: string): boolean {
  return /^https?:\/\/\S+$/i.test(value) || /^data:image\/[\w.+-]+;base64,/i.test(value);
}

export function channelOf(request: ThirdAlgorithmRequest): ChannelContext {
  return {
    partnerId: request.partnerid ?? '',
    params: request.params ?? {},
    multiParams: request.multi_params ?? {},
    sourceEnum: request.source_enum ?? '',
    robotId: request.robotid ?? '',
  };
}

export function promptFacts(request: ThirdAlgorithmRequest): PromptFacts {
  const variables = (request.input_variable_infos ?? [])
    .map((variable) => ({
      name: variable.variable_name ?? variable.variable_code ?? variable.variable_id ?? '',
      value: variable.variable_value ?? '',
    }))
    .filter((variable) => variable.name !== '' && variable.value !== '');
  return {
    robotName: request.robot_name,
    robotRemark: request.robot_remark,
    variables,
    params: { ...request.params, ...request.multi_params },
  };
}

/** Sobot says THIRD_DEBUG; its own example sends SELF_DEBUG. Any mode naming DEBUG is a test round. */
export function isDebugRobot(robotModel: string | undefined): boolean {
  return robotModel !== undefined && /DEBUG/i.test(robotModel);
}
