import type { AnswerEvent, AnswerSource } from '../answer/answer-source.js';
import type { Logger } from '../runtime/logger.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { Route } from './peer-config.js';
import { ownEntry } from '../util/own-entry.js';

// Until a source says something, what it reports (knowledge drawn on, a step, a hand-over) may belong to an
// answer that never comes, and must not be recorded with the next source's. Its raw replies pass: they are
// kept for diagnosis, a failure's most of all.
const HELD = new Set<AnswerEvent['type']>(['source', 'step', 'handover', 'tool-call']);

/**
 * Picks the source for the Sobot robot (`robotid`), and falls back along the route when it fails or
 * times out before saying anything: peers are remote and sometimes down. A failure after text went
 * out cannot be undone and ends the answer (ERROR_END when streaming). `fallback-text` in a route
 * means the configured fallback text.
 */
export function createRoutedSource(options: {
  routes: { default: Route; robots: Record<string, Route> };
  sources: Map<string, AnswerSource>;
  breaker: CircuitBreaker;
  logger: Logger;
}): AnswerSource {
  const { routes, sources, breaker, logger } = options;
  return {
    name: 'router',
    answerType: 'GENERAL',
    async *answer(request, signal): AsyncGenerator<AnswerEvent> {
      const robot = request.conversation.channel.robotId;
      const route = ownEntry(routes.robots, robot) ?? routes.default;
      let lastFailure: Extract<AnswerEvent, { type: 'error' }> | undefined;
      for (const name of [route.source, ...route.fallback]) {
        if (name === 'fallback-text') break;
        const source = sources.get(name);
        if (!source) continue;
        if (breaker.isOpen(name)) {
          logger.warn('source skipped: circuit open after repeated failures', { source: name, robot });
          continue;
        }
        let spoke = false;
        let failure: Extract<AnswerEvent, { type: 'error' }> | undefined;
        const held: AnswerEvent[] = [];
        for await (const event of source.answer(request, signal)) {
          if (event.type === 'error' && !spoke && event.failure.kind !== 'aborted') {
            failure = event;
            continue;
          }
          if (!spoke && HELD.has(event.type)) {
            held.push(event);
            continue;
          }
          if (event.type === 'text-delta' || event.type === 'finish') spoke = true;
          yield* held.splice(0);
          // A round the caller gave up on says nothing about the source.
          if (event.type === 'error' && event.failure.kind !== 'aborted') breaker.failure(name);
          if (event.type === 'finish') breaker.success(name);
          yield event;
        }
        if (!failure) return;
        breaker.failure(name);
        logger.warn('source failed; trying the next one on the route', {
          source: name,
          robot,
          error: failure.failure.message,
        });
        lastFailure = failure;
      }
      // Nothing answered: the last failure (a failed round), or nothing to ask (the fallback text).
      yield lastFailure ?? { type: 'unanswered' };
    },
  };
}
