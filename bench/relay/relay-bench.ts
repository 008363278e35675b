/**
 * How much the bridge adds to the model's own latency, against a floor relay, all on loopback in one
 * run. The fake model and the client share this process (one clock for "written" and "arrived"); the
 * bridge (built and started as `npm run start:prod` runs it, on a temporary database, logging at info to a file)
 * and the floor relay run as processes of their own, so each has its own event loop and its resident
 * memory can be read.
 */
import { loadavg } from 'node:os';
import { measureColdCode } from './cold-code.js';
import { withSteal } from './cpu-steal.js';
import type { LlmProfile } from './fake-llm.js';
import { measureHeldBack } from './held-back.js';
import { measureJsonLatency, measureStreaming } from './latency.js';
import { measureMemory } from './memory.js';
import { measureAllThroughput, warmUp } from './throughput.js';
import { chatBody, sobotBody, startRelaySetup, type RelaySetup } from './relay-setup.js';
import { formatRelay } from './relay-report.js';
import { measureSqliteCost } from './sqlite-cost.js';

const quick = process.env.BENCH_QUICK === '1';
const PROFILES = {
  json: { firstTokenDelayMs: 5, chunks: 10, intervalMs: 2 },
  stream: { firstTokenDelayMs: 5, chunks: 10, intervalMs: 5 },
  // The streaming profile in lock-step with the client: nothing more until the last chunk's event arrived.
  heldBack: { firstTokenDelayMs: 5, chunks: 10, intervalMs: 5, lockStep: { giveUpMs: 250 } },
  throughput: { firstTokenDelayMs: 0, chunks: 10, intervalMs: 0 },
  memory: { firstTokenDelayMs: 0, chunks: 20, intervalMs: 200 },
} satisfies Record<string, LlmProfile>;
const ROUNDS = {
  coldJson: 50,
  warmUpMs: 3000,
  json: quick ? 60 : 300,
  stream: quick ? 40 : 200,
  throughputMs: quick ? 2000 : 5000,
  memoryRuns: 4,
  coldCodeSamples: quick ? 200 : 1000,
};
const STREAMS = 500;

export async function runRelayBenchmark(): Promise<string> {
  const loadBefore = loadavg()[0]!;
  // Memory in a bridge of its own, first: what open streams cost, not what the throughput phase's load
  // left the heap grown to (V8 keeps heap it has grown; that figure is reported too).
  const memory = await withSetup(PROFILES.memory, async (setup) => ({
    ...(await measureMemory(setup, PROFILES.memory, STREAMS, ROUNDS.memoryRuns)),
    problems: warnings(setup),
  }));
  const timing = await withSetup(PROFILES.json, async (setup) => {
    // A fresh process's first rounds, reported apart: V8 has not optimised the round's code yet.
    const coldJson = await measureJsonLatency(setup, PROFILES.json, ROUNDS.coldJson);
    // Then the process is run in (JIT, connection pools, SQLite's cache) before anything else is kept.
    await warmUp(setup, PROFILES.throughput, ROUNDS.warmUpMs);
    await measureJsonLatency(setup, PROFILES.json, 20);
    await measureStreaming(setup, PROFILES.stream, 20);
    const coldCode = await measureColdCode(ROUNDS.coldCodeSamples);
    const json = await withSteal(() => measureJsonLatency(setup, PROFILES.json, ROUNDS.json));
    const stream = await withSteal(() => measureStreaming(setup, PROFILES.stream, ROUNDS.stream));
    const heldBack = await measureHeldBack(
      setup.llm,
      [
        { name: 'bridge', url: `${setup.bridge.url}/sobot/agent`, body: (tag) => sobotBody(tag, true) },
        { name: 'floor', url: `${setup.floor.url}/chat/completions`, body: chatBody },
      ],
      PROFILES.heldBack,
      ROUNDS.stream,
    );
    const throughput = await withSteal(() => measureAllThroughput(setup, PROFILES.throughput, ROUNDS.throughputMs));
    return {
      coldJson,
      json: json.result,
      stream: stream.result,
      heldBack,
      throughput: throughput.result,
      steal: { json: json.steal, stream: stream.steal, throughput: throughput.steal },
      coldCode,
      rssAfterThroughput: setup.bridge.rss(),
      problems: warnings(setup),
    };
  });
  const sqlite = await measureSqliteCost();
  return formatRelay(
    {
      ...timing,
      memory,
      sqlite,
      problems: [...memory.problems, ...timing.problems],
      load: { before: loadBefore, after: loadavg()[0]! },
    },
    { profiles: PROFILES, throughputMs: ROUNDS.throughputMs, warmUpMs: ROUNDS.warmUpMs },
  );
}

async function withSetup<T>(profile: LlmProfile, measure: (setup: RelaySetup) => Promise<T>): Promise<T> {
  const setup = await startRelaySetup(profile);
  try {
    return await measure(setup);
  } finally {
    await setup.stop();
    if (setup.cpuProfileDir) console.log(`A CPU profile of the bridge is in ${setup.cpuProfileDir}.`);
  }
}

/** The bridge's log lines at warn or error, beyond the one about Sobot credentials the benchmark does not set. */
function warnings(setup: RelaySetup): string[] {
  return setup.bridge
    .output()
    .split('\n')
    .filter((line) => /"level":"(warn|error)"/.test(line) && !line.includes('SOBOT_APPID'));
}
