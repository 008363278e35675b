import type { AppDeps } from '../app-deps.js';
import { errorFields } from '../runtime/logger.js';
import { parseThirdAlgorithmRequest } from '../sobot/parse-request.js';
import { claimRound } from './claim-round.js';
import { untilShutdown, type RoundWiring } from './round-wiring.js';
import { reportRound } from './report-round.js';
import { runRound } from './run-round.js';
import { roundIntent } from './visitor-message.js';

const BATCH = 20;

/**
 * Answers again the rounds that owe Sobot a callback but never finished (the process died, or shutdown
 * cut them): Sobot was already told "000000" for a copilot round and will not ask again, so without
 * this their callback would be lost. Each is answered from its stored request, once (the claim is a
 * compare-and-set), and queues its callbacks like any round. Resolves when those answers are done.
 */
export async function recoverAbandonedRounds(app: AppDeps, rounds: RoundWiring): Promise<number> {
  const now = app.clock.now();
  const abandoned = await app.store.abandonedRounds(now - rounds.claimSettings.staleAfterMs, BATCH);
  const answers: Array<Promise<unknown>> = [];
  for (const row of abandoned) {
    const fields = { cid: row.cid, roundid: row.roundid, status: row.status, attempt: row.attempt };
    let request;
    try {
      request = parseThirdAlgorithmRequest(row.request ?? '');
    } catch (error) {
      app.logger.error('abandoned round cannot be answered again: its stored request is unreadable', {
        ...fields,
        ...errorFields(error),
      });
      continue;
    }
    const intent = roundIntent(request);
    const claim = await claimRound(rounds.deps, rounds.claimSettings, request, intent, row.request ?? '', now, false);
    if (claim.kind !== 'run') continue;
    app.logger.warn('answering an abandoned round again', fields);
    answers.push(
      app.inflight
        .run(untilShutdown(), (signal) =>
          runRound(rounds.deps, { request, intent, roundRowId: claim.id, receivedAt: now, signal, logger: app.logger }),
        )
        .then((finished) => reportRound(rounds.deps, finished))
        .catch((error: unknown) =>
          app.logger.error('abandoned round failed again', { ...fields, ...errorFields(error) }),
        ),
    );
  }
  await Promise.all(answers);
  return answers.length;
}
