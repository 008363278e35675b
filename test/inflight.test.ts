import { expect, it } from 'vitest';
import { createInflightRounds } from '../src/runtime/inflight.js';
import { ShuttingDown } from '../src/runtime/shutting-down.js';

const settleAfter = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A round that runs until its signal aborts, and reports why. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));

it('waits for rounds that start while it drains, not only those under way when it began', async () => {
  const inflight = createInflightRounds();
  const never = new AbortController().signal;
  let lateFinished = false;
  void inflight.run(never, () => settleAfter(20));
  const drained = inflight.drain(5_000);
  await settleAfter(5);
  void inflight.run(never, async () => {
    await settleAfter(60);
    lateFinished = true;
  });
  expect(await drained).toBe(true);
  expect(lateFinished).toBe(true);
});

it('aborts what is still under way when the grace runs out, late starters included', async () => {
  const inflight = createInflightRounds();
  const never = new AbortController().signal;
  const early = inflight.run(never, untilAborted);
  const drained = inflight.drain(100);
  const late = inflight.run(never, untilAborted);
  expect(await drained).toBe(false);
  expect(await early).toBeInstanceOf(ShuttingDown);
  expect(await late).toBeInstanceOf(ShuttingDown);
  expect(inflight.size).toBe(0);
});
