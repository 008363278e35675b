import { performance } from 'node:perf_hooks';
import { median } from './stats.js';

/**
 * How much slower this machine runs a small piece of code when it comes after a pause than when it runs
 * again at once. The piece is the bridge's own per-chunk step: `JSON.parse` of one model chunk.
 *
 * Why it is measured: on this virtual machine the first parse after 1–20 ms asleep took 4–15 times as long
 * as the next one, and after 2 ms of spinning instead of sleeping, 4 times. Code that has just run is in the
 * CPU's caches; a pause lets whatever else shares the core take them. A lone round runs after such a
 * pause, and every chunk of a stream comes after one. So the latency figures depend on how much code a
 * relay runs, not only how much work it does, and on how busy the machine's other tenants are that day.
 * This figure, taken in the benchmark's own process, shows how cold the machine ran in this run.
 */
export interface ColdCode {
  /** p50 µs of the parse run again at once. */
  hotMicros: number;
  /** p50 µs of the parse as the first thing after sleeping `pauseMs`. */
  afterPauseMicros: number;
  pauseMs: number;
  samples: number;
}

const CHUNK = JSON.stringify({
  id: 'chatcmpl-probe',
  object: 'chat.completion.chunk',
  created: 1_700_000_000,
  model: 'probe',
  choices: [{ index: 0, delta: { content: 'word ' }, finish_reason: null }],
});

/** One parse, in µs, of a fresh copy of the chunk: each chunk the bridge parses is a new string. */
function timedParse(): number {
  const text = ` ${CHUNK}`.slice(1);
  const start = performance.now();
  JSON.parse(text);
  return (performance.now() - start) * 1000;
}

export async function measureColdCode(samples: number, pauseMs = 2): Promise<ColdCode> {
  const hot: number[] = [];
  const afterPause: number[] = [];
  for (let index = 0; index < samples; index++) {
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    afterPause.push(timedParse());
    hot.push(timedParse());
  }
  return { hotMicros: median(hot), afterPauseMicros: median(afterPause), pauseMs, samples };
}
