import { ApiError } from '../http/api-error.js';
import type { ThirdAlgorithmRequest } from '../sobot/schemas/request.js';
import type { ThirdAlgorithmResponseItem } from '../sobot/schemas/response.js';
import type { ConversationTurn, RoundClaim, StoredRound } from '../store/round-store.js';
import { historyWindow } from './history-window.js';
import type { RoundDeps } from './round-deps.js';
import { isDebugRobot, type RoundIntent } from './visitor-message.js';
import { owesCallback } from './owed-callbacks.js';

export interface ClaimSettings {
  /** How long a duplicate waits for the original to finish before giving up with 409. */
  duplicateWaitMs: number;
  /** A round still marked running after this long has lost its process and may be taken over. */
  staleAfterMs: number;
}

/**
 * `run`: this request answers the round (row `id`). `replay`: send the stored items. `taken`: another
 * request owns the round and the caller chose not to wait for it.
 */
export type ClaimOutcome =
  | { kind: 'run'; id: number; turnsAtClaim?: ConversationTurn[] | undefined }
  | { kind: 'replay'; items: ThirdAlgorithmResponseItem[] }
  | { kind: 'taken' };

const POLL_INTERVAL_MS = 50;
const MAX_STORED_REQUEST = 64 * 1024;

/**
 * Makes (cid, roundid) answer once. A repeat of a finished round replays it; a repeat that arrives while
 * the first is still running waits (bounded) and then replays, polling the store so that it works
 * across processes and instances, not only within this one.
 */
export async function claimOrReplay(
  deps: RoundDeps,
  settings: ClaimSettings,
  request: ThirdAlgorithmRequest,
  intent: RoundIntent,
  rawBody: string,
  receivedAt: number,
  /** Copilot rounds are answered by callback, so a repeat has nothing to wait for; recovery must not wait on itself. */
  waitForOriginal = true,
): Promise<ClaimOutcome> {
  // A question's claim also reads the conversation's context, in the same statement (see RoundClaim).
  const history = intent.kind === 'message' ? historyWindow(deps.context, request, receivedAt) : undefined;
  const claim = { ...toClaim(request, intent, rawBody, receivedAt), history };
  const deadline = receivedAt + settings.duplicateWaitMs;
  for (;;) {
    const now = deps.clock.now();
    const result = await deps.store.claimRound({ ...claim, at: now }, now - settings.staleAfterMs);
    if (result.kind === 'claimed') {
      if (result.takenOver) return { kind: 'run', id: result.id };
      // Only the admin console reads the conversation's record: it is written once the round is on its
      // way, not before. (A process that dies in between leaves the record a round behind.)
      deps.later(() =>
        deps.store.touchConversation({
          cid: request.ai_agent_cid,
          robotid: request.robotid,
          companyid: request.companyid,
          partnerid: request.partnerid,
          sourceEnum: request.source_enum,
          at: now,
        }),
      );
      return { kind: 'run', id: result.id, turnsAtClaim: result.turns };
    }
    if (!waitForOriginal) return { kind: 'taken' };
    const finished = await waitUntilFinished(deps, result.round, deadline);
    // An aborted round stores what it had said too, but that is no answer to give again.
    if (finished?.items && finished.status !== 'aborted') {
      deps.logger.info('round replayed', {
        cid: request.ai_agent_cid,
        roundid: request.roundid,
        status: finished.status,
      });
      return { kind: 'replay', items: finished.items };
    }
    if (finished === undefined) {
      throw new ApiError(
        'conflict',
        `round ${request.roundid} of conversation ${request.ai_agent_cid} is still being answered; retry later`,
      );
    }
    // The original was aborted (its client left, or the service stopped): claim again and answer it here.
  }
}

/** The round once it is no longer running; `undefined` when the deadline passed first. */
async function waitUntilFinished(deps: RoundDeps, round: StoredRound, deadline: number) {
  let current: StoredRound | undefined = round;
  while (current?.status === 'running') {
    if (deps.clock.now() >= deadline) return undefined;
    await deps.clock.sleep(POLL_INTERVAL_MS);
    current = await deps.store.findRound(round.cid, round.roundid);
  }
  return current;
}

function toClaim(
  request: ThirdAlgorithmRequest,
  intent: RoundIntent,
  rawBody: string,
  receivedAt: number,
): Omit<RoundClaim, 'at'> {
  // The question as the round understood it: an image URL for IMG, a click put into words for clicks.
  const question = intent.kind === 'message' ? (intent.message.imageUrl ?? intent.message.text) : '';
  return {
    cid: request.ai_agent_cid,
    roundid: request.roundid,
    companyid: request.companyid,
    robotid: request.robotid,
    question,
    showQuestion: request.show_question,
    inputType: request.input_type_enum,
    msgType: intent.kind === 'message' && intent.message.imageUrl ? 'IMG' : 'TEXT',
    robotModel: request.robot_model,
    isTest: isDebugRobot(request.robot_model),
    reqStream: request.req_stream,
    copilot: request.copilot,
    runtimeid: request.runtimeid,
    questionid: request.questionid,
    // A round that owes Sobot a callback keeps its whole request: recovery answers it again from there.
    request:
      owesCallback(request) || rawBody.length <= MAX_STORED_REQUEST ? rawBody : rawBody.slice(0, MAX_STORED_REQUEST),
    receivedAt,
  };
}
