import type { RoundMode } from '../metrics/metrics.js';
import type { RoundDeps } from './round-deps.js';
import type { FinishedRound } from './run-round.js';

// Enough of the visitor's words to recognise a round in the log; the whole text is in the rounds table.
const MAX_LOGGED_TEXT = 500;

/**
 * Completes a round's record once its answer has gone out: stores when the first byte did (unless it
 * was already known when the round was stored), writes the round's one "round finished" line with its
 * timings, and counts it. `firstByteAt` is when a JSON reply was handed to the HTTP server.
 */
export async function reportRound(
  deps: RoundDeps,
  finished: FinishedRound,
  firstByteAt = finished.firstByteAt,
): Promise<void> {
  const { run, completion } = finished;
  let { firstByteMs } = completion;
  if (firstByteMs === undefined && firstByteAt !== undefined) {
    firstByteMs = firstByteAt - run.receivedAt;
    await deps.store.recordFirstByte(run.roundRowId, firstByteMs);
  }
  const mode: RoundMode = run.request.copilot ? 'copilot' : run.emit ? 'stream' : 'json';
  const fields = {
    cid: completion.cid,
    roundid: completion.roundid,
    mode,
    source: completion.answerSource,
    status: completion.status,
    answerType: completion.answerType,
    model: completion.model,
    firstTokenMs: completion.firstTokenMs,
    firstByteMs,
    latencyMs: completion.latencyMs,
    promptTokens: completion.promptTokens,
    completionTokens: completion.completionTokens,
    knowledgeHits: completion.sources.length,
    callbacks: completion.callbacks.length,
    error: completion.error,
    question: capped(questionOf(run)),
    answer: capped(completion.answerText),
  };
  if (completion.status === 'failed') run.logger.warn('round finished', fields);
  else run.logger.info('round finished', fields);
  deps.metrics.roundFinished({ ...fields, knowledge: completion.sources });
}

/** The question as the round understood it (as stored): a click in words, an image by its URL. */
function questionOf({ intent }: FinishedRound['run']): string | undefined {
  return intent.kind === 'message' ? (intent.message.imageUrl ?? intent.message.text) : undefined;
}

function capped(text: string | undefined): string | undefined {
  if (!text || text.length <= MAX_LOGGED_TEXT) return text;
  return `${text.slice(0, MAX_LOGGED_TEXT)}…`;
}
