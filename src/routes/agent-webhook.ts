import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import type { AppDeps } from '../app-deps.js';
import { createTextSource } from '../answer/text-source.js';
import { ApiError } from '../http/api-error.js';
import { webhookAuth } from '../http/webhook-auth.js';
import { claimRound, type ClaimSettings } from '../round/claim-round.js';
import type { RoundDeps } from '../round/round-deps.js';
import { runRound, type EmitItem } from '../round/run-round.js';
import type { ThirdAlgorithmResponseItem } from '../sobot/schemas/response.js';
import { roundIntent } from '../round/visitor-message.js';
import { successEnvelope } from '../sobot/envelope.js';
import { createItemEncoder } from '../sobot/item-encoder.js';
import { errorFields } from '../runtime/logger.js';
import { detectLanguage } from '../answer/language.js';
import { parseThirdAlgorithmRequest } from '../sobot/parse-request.js';

const MAX_BODY_BYTES = 1024 * 1024;
// A running round cannot outlive the model's total timeout; past it plus this margin its owner is gone.
const STALE_MARGIN_MS = 30_000;
// Aborted only by shutdown (through the in-flight registry), never by the caller.
const UNTIL_SHUTDOWN = new AbortController().signal;

/** `POST /` — Sobot's third-party AI agent webhook (mounted at /sobot/agent). */
export function createAgentWebhook(deps: AppDeps): Hono {
  const { config } = deps;
  const roundDeps: RoundDeps = {
    store: deps.store,
    clock: deps.clock,
    logger: deps.logger,
    sources: { welcome: createTextSource('welcome', config.WELCOME_TEXT, 'QA_DIRECT'), llm: deps.llm },
    fallbackText: config.FALLBACK_TEXT,
    callbacksQueued: () => deps.callbacks.notify(),
    context: { defaultWindowSeconds: config.CONTEXT_WINDOW_SECONDS, maxTurns: config.CONTEXT_MAX_TURNS },
  };
  const claimSettings: ClaimSettings = {
    duplicateWaitMs: config.DUPLICATE_WAIT_MS,
    staleAfterMs: config.LLM_TOTAL_TIMEOUT_MS + STALE_MARGIN_MS,
  };

  const webhook = new Hono();
  webhook.post(
    '/',
    webhookAuth(config.WEBHOOK_TOKEN),
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        // The rest of the body stays unread; a client must not reuse this connection for its next call.
        c.header('Connection', 'close');
        throw new ApiError('payloadTooLarge', `request body exceeds ${MAX_BODY_BYTES} bytes`);
      },
    }),
    async (c) => {
      const receivedAt = deps.clock.now();
      const body = await c.req.text();
      const request = parseThirdAlgorithmRequest(body);
      const intent = roundIntent(request);
      const claim = await claimRound(roundDeps, claimSettings, request, intent, body, receivedAt, !request.copilot);
      // Rounds that owe Sobot a callback finish even if the caller hangs up, or the callback would be lost.
      const signal = request.copilot || request.runtimeid ? UNTIL_SHUTDOWN : c.req.raw.signal;
      // Streaming passes `emit`; either way the round's items come back for the JSON reply.
      const produce = async (emit?: EmitItem): Promise<ThirdAlgorithmResponseItem[]> => {
        if (claim.kind === 'taken') return [];
        if (claim.kind === 'replay') {
          if (emit) for (const item of claim.items) await emit(item);
          return claim.items;
        }
        return deps.inflight.run(signal, (roundSignal) =>
          runRound(roundDeps, { request, intent, roundRowId: claim.id, receivedAt, signal: roundSignal, emit }),
        );
      };

      if (request.copilot) {
        // The copilot answer travels by callback: acknowledge now, answer in the background.
        if (claim.kind === 'run') deps.background.defer(c, produce());
        return c.json(successEnvelope([]));
      }
      if (!request.req_stream) return c.json(successEnvelope(await produce()));
      return streamSSE(c, async (stream) => {
        const emit: EmitItem = (item) => stream.writeSSE({ data: JSON.stringify(item) });
        try {
          await produce(emit);
        } catch (error) {
          // The 200 and earlier frames are gone already; end the stream the way the protocol ends a broken answer.
          deps.logger.error('round failed unexpectedly', {
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
