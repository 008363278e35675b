import { describe, expect, it } from 'vitest';
import type { AnswerEvent, AnswerRequest, AnswerSource } from '../src/answer/answer-source.js';
import { createConcurrencyLimit, limitConcurrency } from '../src/answer/limit-concurrency.js';

const request: AnswerRequest = {
  conversation: {
    cid: 'c1',
    channel: { partnerId: 'p1', params: {}, multiParams: {}, sourceEnum: 'WEB', robotId: 'r1' },
  },
  message: { text: 'hello' },
  history: [],
  facts: { variables: [], params: {} },
  debug: false,
  streaming: false,
};

/** Answers once `release` is called, so a test controls how long its slot is held. */
function heldSource(): AnswerSource & { release(): void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    name: 'model-under-test',
    answerType: 'GENERAL',
    release: () => release(),
    async *answer(): AsyncGenerator<AnswerEvent> {
      await released;
      yield { type: 'text-delta', text: 'ok' };
      yield { type: 'finish', answerType: 'GENERAL', via: 'model-under-test' };
    },
  };
}

async function collect(events: AsyncIterable<AnswerEvent>): Promise<AnswerEvent[]> {
  const all: AnswerEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('limitConcurrency', () => {
  it("names the source in the error of a caller who left while queued, as the source's own events do", async () => {
    const inner = heldSource();
    const limited = limitConcurrency(inner, createConcurrencyLimit(1), 60_000);
    const first = collect(limited.answer(request, new AbortController().signal));
    const leaving = new AbortController();
    const second = collect(limited.answer(request, leaving.signal));
    leaving.abort();
    expect(await second).toEqual([
      {
        type: 'error',
        failure: { kind: 'aborted', message: 'the client went away while queued' },
        via: 'model-under-test',
      },
    ]);
    inner.release();
    expect((await first).map((event) => event.type)).toEqual(['text-delta', 'finish']);
  });

  it('lets a timely answer wait only so long for a slot, and any other as long as it takes', async () => {
    const inner = heldSource();
    const limited = limitConcurrency(inner, createConcurrencyLimit(1), 50);
    const holder = collect(limited.answer(request, new AbortController().signal));
    const timely = collect(limited.answer({ ...request, timely: true }, new AbortController().signal));
    const patient = collect(limited.answer(request, new AbortController().signal));
    expect(await timely).toEqual([
      {
        type: 'error',
        failure: { kind: 'timeout', message: 'no model slot free within 50 ms' },
        via: 'model-under-test',
      },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    inner.release();
    expect((await holder).map((event) => event.type)).toEqual(['text-delta', 'finish']);
    expect((await patient).map((event) => event.type)).toEqual(['text-delta', 'finish']);
  });
});
