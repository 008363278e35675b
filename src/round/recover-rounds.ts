import type { AppDeps } from '../app-deps.js';
import { errorFields } from '../runtime/logger.js';
import type { StoredRound } from '../store/round-store.js';
import { parseThirdAlgorithmRequest } from '../sobot/parse-request.js';
import { claimOrReplay } from './claim-round.js';
import { ignoringHangUp, type RoundWiring } from './round-wiring.js';
import { reportRound } from './report-round.js';
import { runRound } from './run-round.js';
import { roundIntent } from './visitor-message.js';

const BATCH = 20;

/**
 * Answers again the rounds that owe Sobot a callback but never finished (the process died, or shutdown
 * cut them): Sobot was already told "000000" for a copilot round and will not ask again, so without
 * this their callback would be lost. Each is answered from its stored request, once (the claim is a
 * compare-and-set), and queues its callbacks like any round. Works through them `BATCH` at a time,
 * each batch answered before the next is taken; resolves when all are done.
 */
export async function recoverAbandonedRounds(app: AppDeps, rounds: RoundWiring, stop?: AbortSignal): Promise<number> {
  const tried = new Set<number>();
  let answered = 0;
  for (;;) {
    // A stopping service takes no more: the rounds of this batch are its in-flight rounds, drained with the rest.
    if (stop?.aborted) return answered;
    const now = app.clock.now();
    const abandoned = await app.store.abandonedRounds(now - rounds.claimSettings.staleAfterMs, BATCH);
    // Rounds this app still answers only look abandoned: they waited long for their turn or a model slot.
    const fresh = abandoned.filter((row) => !tried.has(row.id) && !rounds.deps.answering.has(row.id));
    for (const row of fresh) tried.add(row.id);
    const answers = await Promise.all(fresh.map((row) => answerAgain(app, rounds, row, now)));
    answered += answers.filter(Boolean).length;
    // A full batch may have more behind it. One holding a round tried already (its request unreadable, or
    // cut again by a shutdown) would only come round again: the next sweep takes it up.
    if (abandoned.length < BATCH || fresh.length < abandoned.length) return answered;
  }
}

/** Claims and answers one abandoned round; false when it cannot be answered or another process took it. */
async function answerAgain(app: AppDeps, rounds: RoundWiring, row: StoredRound, now: number): Promise<boolean> {
  const fields = { cid: row.cid, roundid: row.roundid, status: row.status, attempt: row.attempt };
  let request;
  try {
    request = parseThirdAlgorithmRequest(row.request ?? '');
  } catch (error) {
    app.logger.error('abandoned round cannot be answered again: its stored request is unreadable', {
      ...fields,
      ...errorFields(error),
    });
    return false;
  }
  const intent = roundIntent(request);
  const claim = await claimOrReplay(rounds.deps, rounds.claimSettings, request, intent, row.request ?? '', now, false);
  if (claim.kind !== 'run') return false;
  app.logger.warn('answering an abandoned round again', fields);
  try {
    const finished = await app.inflight.run(ignoringHangUp(), (signal) =>
      runRound(rounds.deps, { request, intent, roundRowId: claim.id, receivedAt: now, signal, logger: app.logger }),
    );
    await reportRound(rounds.deps, finished);
  } catch (error) {
    app.logger.error('abandoned round failed again', { ...fields, ...errorFields(error) });
    return false;
  }
  return true;
}
