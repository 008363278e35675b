import { ShuttingDown } from '../runtime/shutting-down.js';
import type { AnswerFailure } from './answer-source.js';

/** A source's failure once its round's signal aborted, saying why: the caller left, or the service is stopping. */
export function abortedFailure(signal: AbortSignal, context = ''): AnswerFailure {
  const why = signal.reason instanceof ShuttingDown ? signal.reason.message : 'the client went away';
  return { kind: 'aborted', message: `${why}${context}` };
}
