import type { CopilotCallback } from './schemas/open-platform.js';
import type { ThirdAlgorithmResponseItem } from './schemas/response.js';

/** ThirdCallbackListRespVo for `callback_list`: a copilot round's items, the same ones the round produced. */
export function copilotCallbackBody(items: ThirdAlgorithmResponseItem[]): string {
  return JSON.stringify({ algorithm_resp_vos: items } satisfies CopilotCallback);
}

/**
 * The ThirdAlgorithmRespVo for `question_call_back`: the round's closing item (with its answer_type,
 * success, runtimeid, questionid), carrying the whole answer text rather than the empty one it streams with.
 */
export function batchTestCallbackBody(items: ThirdAlgorithmResponseItem[], answerText: string): string {
  const closing = items.at(-1);
  if (!closing) throw new Error('a round always ends with a closing item');
  return JSON.stringify({ ...closing, llm_answer: answerText });
}
