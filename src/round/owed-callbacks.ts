import { batchTestCallbackBody, copilotCallbackBody } from '../sobot/callback-bodies.js';
import type { ThirdAlgorithmRequest } from '../sobot/schemas/request.js';
import type { ThirdAlgorithmResponseItem } from '../sobot/schemas/response.js';
import type { QueuedCallback } from '../store/round-store.js';

/**
 * Whether the answer also goes back by callback (copilot, or a batch test's `runtimeid`): such a round runs
 * to its end whoever still listens, keeps its whole request, and is answered again after a crash.
 */
export const owesCallback = (request: Pick<ThirdAlgorithmRequest, 'copilot' | 'runtimeid'>) =>
  Boolean(request.copilot || request.runtimeid);

/**
 * "Check the copilot field: when true, call the … Assisted Callback API"; "Check the runtimeid field:
 * when not empty, call the … Batch Test Callback API". A round may owe both.
 */
export function owedCallbacks(
  request: ThirdAlgorithmRequest,
  items: ThirdAlgorithmResponseItem[],
  answerText: string,
): QueuedCallback[] {
  const owed: QueuedCallback[] = [];
  if (request.copilot) owed.push({ kind: 'copilot', payload: copilotCallbackBody(items) });
  if (request.runtimeid) owed.push({ kind: 'batch', payload: batchTestCallbackBody(items, answerText) });
  return owed;
}
