import { Hono } from 'hono';
import type { AppDeps } from '../app-deps.js';
import { limitBody } from '../http/body-limit.js';
import { eventStream } from '../http/event-stream.js';
import { webhookAuth } from '../http/token-auth.js';
import { claimOrReplay, type ClaimOutcome } from '../round/claim-round.js';
import { ignoringHangUp, type RoundWiring } from '../round/round-wiring.js';
import { reportRound } from '../round/report-round.js';
import { runRound, type EmitItem, type FinishedRound, type RoundRun } from '../round/run-round.js';
import { roundIntent } from '../round/visitor-message.js';
import { successEnvelope } from '../sobot/envelope.js';
import { createItemEncoder } from '../sobot/item-encoder.js';
import { errorFields, withFields } from '../runtime/logger.js';
import type { JsonReply } from '../http/json-reply.js';
import { detectLanguage } from '../answer/language.js';
import { parseThirdAlgorithmRequest } from '../sobot/parse-request.js';
import { owesCallback } from '../round/owed-callbacks.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** A round this request claimed, and so answers. */
type OwnedRound = Extract<ClaimOutcome, { kind: 'run' }>;

/** `POST /` — Sobot's third-party AI agent webhook (mounted at /sobot/agent). */
export function createAgentWebhook(deps: AppDeps, rounds: RoundWiring): Hono {
  const { config } = deps;
  const { deps: roundDeps, claimSettings } = rounds;
  const replyStream = deps.eventStream ?? eventStream;

  const webhook = new Hono();
  webhook.post(
    '/',
    webhookAuth(config.WEBHOOK_TOKEN),
    limitBody(MAX_BODY_BYTES, `request body exceeds ${MAX_BODY_BYTES} bytes`),
    async (c) => {
      const receivedAt = deps.clock.now();
      const logger = withFields(deps.logger, { requestId: c.get('requestId') });
      const body = await c.req.text();
      const request = parseThirdAlgorithmRequest(body);
      const intent = roundIntent(request);
      const claim = await claimOrReplay(
        { ...roundDeps, logger },
        claimSettings,
        request,
        intent,
        body,
        receivedAt,
        !request.copilot,
      );
      // Rounds that owe Sobot a callback finish even if the caller hangs up, or the callback would be lost.
      const callbackOwed = owesCallback(request);
      const signal = callbackOwed ? ignoringHangUp() : c.req.raw.signal;
      const answer = (
        owned: OwnedRound,
        output: Pick<RoundRun, 'emit' | 'flush' | 'reply'> = {},
        hangUp: AbortSignal = signal,
      ) => {
        const answered = deps.inflight.run(hangUp, (roundSignal) =>
          runRound(roundDeps, {
            request,
            intent,
            roundRowId: owned.id,
            turnsAtClaim: owned.turnsAtClaim,
            receivedAt,
            signal: roundSignal,
            ...output,
            logger,
          }),
        );
        // Settles when the caller hangs up, too: stored `aborted`, or finished if it owes a callback. Until
        // then its conversation's next round waits, and the in-flight registry counts it.
        deps.background.hold(answered);
        return answered;
      };

      if (request.copilot) {
        // The copilot answer travels by callback: acknowledge now, answer in the background.
        if (claim.kind === 'run') {
          deps.background.defer(answer(claim).then((finished) => reportRound(roundDeps, finished)));
        }
        return c.json(successEnvelope([]));
      }
      if (!request.req_stream) {
        if (claim.kind !== 'run') return c.json(successEnvelope(claim.kind === 'replay' ? claim.items : []));
        const direct = deps.jsonReply?.(c);
        if (direct) {
          const finished = await replyThenStore(
            direct,
            (reply) => answer(claim, { reply }),
            (error) =>
              logger.error('round answered but not stored', {
                cid: request.ai_agent_cid,
                roundid: request.roundid,
                ...errorFields(error),
              }),
          );
          if (finished) deps.background.later(() => reportRound(roundDeps, finished));
          return direct.sent;
        }
        const finished = await answer(claim);
        // The whole body goes to the HTTP server now: this is the round's first byte.
        const repliedAt = deps.clock.now();
        deps.background.later(() => reportRound(roundDeps, finished, repliedAt));
        return c.json(successEnvelope(finished.items));
      }
      return replyStream(c, async (send, flush, gone) => {
        const emit: EmitItem = async (item) => send(JSON.stringify(item));
        try {
          if (claim.kind === 'replay') for (const item of claim.items) await emit(item);
          else if (claim.kind === 'run') {
            // A reply nobody reads any more ends the round, also where the request's signal does not say so.
            const hangUp = gone && !callbackOwed ? AbortSignal.any([signal, gone]) : signal;
            const finished = await answer(claim, { emit, flush }, hangUp);
            deps.background.later(() => reportRound(roundDeps, finished));
          }
        } catch (error) {
          // The 200 and earlier frames are gone already; end the stream the way the protocol ends a broken answer.
          logger.error('round failed unexpectedly', {
            cid: request.ai_agent_cid,
            roundid: request.roundid,
            ...errorFields(error),
          });
          await emit(createItemEncoder(request).errorEnd(detectLanguage(request.question)));
        }
      });
    },
  );
  return webhook;
}

/**
 * A JSON round where the runtime sends the reply itself: the answer goes out, then the round is stored.
 * A failure to store it after that cannot change the reply: it goes to `onStoreFailure` (the round stays
 * running, and a retry of it takes it over), and the result is `undefined`.
 */
async function replyThenStore(
  direct: JsonReply,
  answer: (reply: RoundRun['reply']) => Promise<FinishedRound>,
  onStoreFailure: (error: unknown) => void,
): Promise<FinishedRound | undefined> {
  let replied = false;
  try {
    return await answer((items) => {
      direct.send(successEnvelope(items));
      replied = true;
    });
  } catch (error) {
    if (!replied) throw error;
    onStoreFailure(error);
    return undefined;
  }
}
