import type { AnswerEvent, AnswerRequest } from '../answer/answer-source.js';
import { detectLanguage } from '../answer/language.js';
import type { AnswerType } from '../sobot/schemas/response.js';
import { cardsAsText } from './cards.js';
import type { ModelOffer } from './model-offers.js';
import type { Advance } from './workflow-engine.js';
import { workflowMessages } from './workflow-messages.js';
import { ASSISTANT_PROCESS, type PendingOffer, type WorkflowSession } from './workflow-session.js';
import { stepOf } from './workflow-steps.js';

type Events = AsyncGenerator<AnswerEvent>;

/** How a reply keeps the conversation's workflow session (until it idles out) or ends it. */
export interface SessionKeeper {
  keep(session: WorkflowSession): Promise<void>;
  clear(cid: string): Promise<void>;
  now(): number;
}

/** A workflow run's outcome: its text, the step it waits on or the hand-over, and the session kept or ended. */
export async function* advanceReply(keeper: SessionKeeper, advance: Advance, cid: string, ongoing: AnswerType): Events {
  if (advance.cutOff) {
    yield { type: 'error', failure: advance.cutOff };
    return;
  }
  if (advance.session) await keeper.keep(advance.session);
  else await keeper.clear(cid);
  const answerType: AnswerType = advance.handover ? 'TRANSFER_INTENTION' : advance.session ? ongoing : 'PROCESS_END';
  const text = advance.text.filter(Boolean).join('\n');
  if (text) yield { type: 'text-delta', text, answerType };
  if (advance.step) yield { type: 'step', step: advance.step };
  if (advance.handover) yield { type: 'handover', summary: advance.handover };
  yield { type: 'finish', answerType, via: 'workflow' };
}

/** Refuses an answer that does not fit the pending step, and shows the step again. */
export async function* reaskReply(
  keeper: SessionKeeper,
  session: WorkflowSession,
  pending: PendingOffer,
  lead: string,
): Events {
  await keeper.keep(session);
  const shownAsList = pending.kind === 'cards' && pending.asText;
  const restated =
    pending.kind === 'cards' ? (shownAsList ? cardsAsText(pending.guide, pending.cards) : '') : pending.prompt;
  yield { type: 'text-delta', text: [lead, restated].filter(Boolean).join('\n'), answerType: 'PROCESS_VALUE_ERROR' };
  const step = stepOf(pending);
  if (step) yield { type: 'step', step };
  yield { type: 'finish', answerType: 'PROCESS_VALUE_ERROR', success: false, via: 'workflow' };
}

/** A click, or a step's answer, when the conversation waits on nothing. */
export async function* nothingPendingReply(request: AnswerRequest): Events {
  const text = workflowMessages(detectLanguage(request.message.text)).nothingPending;
  yield { type: 'text-delta', text, answerType: 'UNKNOWN' };
  yield { type: 'finish', answerType: 'UNKNOWN', success: false, via: 'workflow' };
}

/** Something the model offered on its own: kept as an `assistant` step, so its click can be checked. */
export async function* offerReply(keeper: SessionKeeper, cid: string, { pending, text }: ModelOffer): Events {
  const startedAt = keeper.now();
  await keeper.keep({ cid, workflowId: ASSISTANT_PROCESS, nodeId: pending.nodeId, variables: {}, pending, startedAt });
  if (text) yield { type: 'text-delta', text, answerType: 'PROCESS' };
  const step = stepOf(pending);
  if (step) yield { type: 'step', step };
  yield { type: 'finish', answerType: 'PROCESS', via: 'workflow' };
}

/** The model's `hand_over`: any workflow is left, and the hand-over carries the model's summary. */
export async function* handOverReply(
  keeper: SessionKeeper,
  request: AnswerRequest,
  reason: string,
  summary: string,
): Events {
  await keeper.clear(request.conversation.cid);
  const text = workflowMessages(detectLanguage(request.message.text)).handover;
  yield { type: 'text-delta', text, answerType: 'TRANSFER_INTENTION' };
  yield { type: 'handover', summary: { reason, request: summary, variables: {} } };
  yield { type: 'finish', answerType: 'TRANSFER_INTENTION', via: 'workflow' };
}
