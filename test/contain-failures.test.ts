import { expect, it } from 'vitest';
import type { AnswerEvent } from '../src/answer/answer-source.js';
import { containFailures } from '../src/answer/contain-failures.js';
import { captureLogs } from './helpers/log-capture.js';

async function collect(events: AsyncIterable<AnswerEvent>): Promise<AnswerEvent[]> {
  const all: AnswerEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

it('turns a throw from a source into its closing error event, logged with the stack', async () => {
  async function* broken(): AsyncGenerator<AnswerEvent> {
    yield { type: 'text-delta', text: 'Half an ' };
    throw new TypeError("Cannot read properties of undefined (reading 'kind')");
  }
  const logger = captureLogs();
  expect(await collect(containFailures(broken(), 'workflows', logger))).toEqual([
    { type: 'text-delta', text: 'Half an ' },
    { type: 'error', failure: { kind: 'upstream', message: 'internal error in workflows' } },
  ]);
  expect(logger.entries).toEqual([
    expect.objectContaining({
      level: 'error',
      message: 'answer source failed unexpectedly',
      fields: expect.objectContaining({ source: 'workflows', errorName: 'TypeError', stack: expect.any(String) }),
    }),
  ]);
});

it('passes a sound source through as it is, and leaves a throw of the consumer to the consumer', async () => {
  async function* sound(): AsyncGenerator<AnswerEvent> {
    yield { type: 'text-delta', text: 'ok' };
    yield { type: 'finish', answerType: 'GENERAL' };
  }
  const logger = captureLogs();
  expect(await collect(containFailures(sound(), 'llm', logger))).toHaveLength(2);
  const consume = async () => {
    for await (const _event of containFailures(sound(), 'llm', logger)) throw new Error('the client went away');
  };
  await expect(consume()).rejects.toThrow('the client went away');
  expect(logger.entries).toEqual([]);
});
