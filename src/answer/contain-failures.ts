import { errorFields, type Logger } from '../runtime/logger.js';
import type { AnswerEvent } from './answer-source.js';

/**
 * A source's events, with a throw from the source (a bug, not a failure it reports) turned into its closing
 * `error` event and logged with its stack. Without this the round would end in a 500 and stay `running`, and a
 * round that owes a callback would be answered again by every recovery sweep, failing the same way each time.
 */
export async function* containFailures(
  events: AsyncIterable<AnswerEvent>,
  source: string,
  logger: Logger,
): AsyncGenerator<AnswerEvent> {
  try {
    yield* events;
  } catch (error) {
    logger.error('answer source failed unexpectedly', { source, ...errorFields(error) });
    yield { type: 'error', failure: { kind: 'upstream', message: `internal error in ${source}` } };
  }
}
