import type { ThirdAlgorithmRequest } from '../sobot/schemas/request.js';
import type { RoundDeps } from './round-deps.js';

/**
 * Which earlier turns of its conversation a round's answer is given as context: those answered since
 * `since`, at most `limit` of them (0: none). The claim and the round's own read use the same window.
 */
export function historyWindow(
  context: RoundDeps['context'],
  request: ThirdAlgorithmRequest,
  receivedAt: number,
): { since: number; limit: number } {
  // `context_validity_time` is in seconds (the document gives no unit); 0 or absent means our default.
  const windowSeconds = request.context_validity_time || context.defaultWindowSeconds;
  return { since: receivedAt - windowSeconds * 1000, limit: Math.max(0, context.maxTurns) };
}
