import { availableParallelism } from 'node:os';
import type { ColdCode } from './cold-code.js';
import type { Steal } from './cpu-steal.js';
import type { LlmProfile } from './fake-llm.js';
import type { HeldBack } from './held-back.js';
import type { Distribution, measureJsonLatency, measureStreaming } from './latency.js';
import type { measureMemory } from './memory.js';
import type { SqliteCost } from './sqlite-cost.js';
import type { measureAllThroughput } from './throughput.js';

export interface RelaySettings {
  profiles: Record<'json' | 'stream' | 'heldBack' | 'throughput' | 'memory', LlmProfile>;
  throughputMs: number;
  /** How long the bridge was run in at concurrency before the latency phases. */
  warmUpMs: number;
}

const MB = 1024 * 1024;

export interface RelayResults {
  /** JSON rounds of a fresh process, before it was run in. */
  coldJson: Awaited<ReturnType<typeof measureJsonLatency>>;
  json: Awaited<ReturnType<typeof measureJsonLatency>>;
  stream: Awaited<ReturnType<typeof measureStreaming>>;
  /** Lock-step streams, by relay: `bridge` and `floor`. */
  heldBack: Record<string, HeldBack>;
  throughput: Awaited<ReturnType<typeof measureAllThroughput>>;
  memory: Awaited<ReturnType<typeof measureMemory>>;
  rssAfterThroughput: number;
  sqlite: SqliteCost;
  problems: string[];
  /** The machine's one-minute load average: other work on the cores shows in every figure. */
  load: { before: number; after: number };
  /** What the hypervisor took during the latency and throughput phases (none where there is no /proc/stat). */
  steal: Record<'json' | 'stream' | 'throughput', Steal | undefined>;
  /** The machine's penalty for running code after a pause, just before the JSON phase. */
  coldCode: ColdCode;
}

type Row = [figure: string, measured: string, target: string, verdict: string];

/** The figures as a table against the issue's targets, then the baselines and samples behind them. */
export function formatRelay(results: RelayResults, settings: RelaySettings): string {
  const { coldJson, json, stream, heldBack, throughput, memory, sqlite } = results;
  const [bridgeHeld, floorHeld] = [heldBack.bridge!, heldBack.floor!];
  const giveUpMs = settings.profiles.heldBack.lockStep?.giveUpMs ?? 0;
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  const verdict = (ok: boolean) => (ok ? 'pass' : 'FAIL');
  const during = (counts: Record<string, number>) =>
    `${counts.relay ?? 0} / ${counts.benchmark ?? 0} / ${counts.unexplained ?? 0}`;
  const rate = (run: { perSecond: number; cpuMsPerRound: number }) =>
    `${run.perSecond.toFixed(0)} (${run.cpuMsPerRound.toFixed(2)} ms CPU per round)`;
  const jsonRatio = throughput.json.perSecond / throughput.floor.perSecond;
  const sseRatio = throughput.sse.perSecond / throughput.floor.perSecond;
  const peak = Math.max(...memory.runs.map((run) => run.peak));
  const afters = memory.runs.map((run) => run.after);
  // A leak leaves more behind with every run. The first run or two also size V8's heap to the load, so
  // growth is judged over the second half of the runs, with 10% of slack for the allocator.
  const grew = afters.at(-1)! > afters[Math.floor(afters.length / 2) - 1]! * 1.1;
  const failedStreams = memory.runs.reduce((sum, run) => sum + run.failed, 0);
  const rows: Row[] = [
    ['JSON round, added latency p50', ms(json.added.p50), '≤ 2 ms', verdict(json.added.p50 <= 2)],
    ['JSON round, added latency p99', ms(json.added.p99), '', ''],
    ['  the floor relay, for comparison: p50 / p99', `${ms(json.floorAdded.p50)} / ${ms(json.floorAdded.p99)}`, '', ''],
    ['  the bare bridge, for comparison: p50 / p99', `${ms(json.bareAdded.p50)} / ${ms(json.bareAdded.p99)}`, '', ''],
    [
      'first SSE event after the first token, added p50',
      ms(stream.addedFirst.p50),
      '≤ 3 ms',
      verdict(stream.addedFirst.p50 <= 3),
    ],
    ['first SSE event after the first token, added p99', ms(stream.addedFirst.p99), '', ''],
    [
      '  the floor relay, for comparison: p50 / p99',
      `${ms(stream.floorFirst.p50)} / ${ms(stream.floorFirst.p99)}`,
      '',
      '',
    ],
    [
      'per streamed chunk, added p50',
      ms(stream.addedPerChunk.p50),
      '≤ 0.3 ms',
      verdict(stream.addedPerChunk.p50 <= 0.3),
    ],
    ['per streamed chunk, added p99', ms(stream.addedPerChunk.p99), '', ''],
    [
      '  the floor relay, for comparison: p50 / p99',
      `${ms(stream.floorPerChunk.p50)} / ${ms(stream.floorPerChunk.p99)}`,
      '',
      '',
    ],
    [
      'first events held back (not sent until the model sent more)',
      `${bridgeHeld.firstHeld} of ${bridgeHeld.streams}`,
      '0',
      verdict(bridgeHeld.firstHeld === 0),
    ],
    [
      'chunks held back (not sent until the model sent more)',
      `${bridgeHeld.held} of ${bridgeHeld.chunks}`,
      '0',
      verdict(bridgeHeld.held === 0),
    ],
    [`  longest wait for a chunk's event (the model gives ${giveUpMs} ms)`, ms(bridgeHeld.longestWaitMs), '', ''],
    [
      '  the floor relay, for comparison: held back; longest wait',
      `${floorHeld.held} of ${floorHeld.chunks}; ${ms(floorHeld.longestWaitMs)}`,
      '',
      '',
    ],
    [
      "timed streams: first events later than the model's second chunk",
      `${stream.late.bridgeFirst} of ${stream.streams}`,
      '',
      '',
    ],
    ["timed streams: chunks later than the model's next one", `${stream.late.bridge} of ${stream.frames}`, '', ''],
    ['  in a GC pause of: bridge / benchmark / neither', during(stream.lateDuring.bridge), '', ''],
    ['  the floor relay, for comparison', `${stream.late.floor} of ${stream.frames}`, '', ''],
    ['  in a GC pause of: floor / benchmark / neither', during(stream.lateDuring.floor), '', ''],
    ['floor relay, rounds/s at concurrency 32', rate(throughput.floor), '', ''],
    ['bridge JSON, rounds/s at concurrency 32', rate(throughput.json), '', ''],
    ['bridge SSE, rounds/s at concurrency 32', rate(throughput.sse), '', ''],
    ['bridge JSON / floor relay', `${jsonRatio.toFixed(3)}×`, '≥ 0.2×', verdict(jsonRatio >= 0.2)],
    ['bridge SSE / floor relay', `${sseRatio.toFixed(3)}×`, '≥ 0.2×', verdict(sseRatio >= 0.2)],
    [
      `bridge RSS, ${memory.streams} streams open (peak of ${memory.runs.length} runs)`,
      `${(peak / MB).toFixed(0)} MB`,
      '≤ 200 MB',
      verdict(peak <= 200 * MB && failedStreams === 0),
    ],
    [
      'bridge RSS after each run ended',
      afters.map((rss) => (rss / MB).toFixed(0)).join(' → ') + ' MB',
      'no growth',
      verdict(!grew),
    ],
    [
      'SQLite work per JSON round, p50 / p99',
      `${(sqlite.perRound.p50 / 1000).toFixed(3)} / ${(sqlite.perRound.p99 / 1000).toFixed(3)} ms`,
      '',
      '',
    ],
  ];
  const table = (header: Row, body: Row[]) => {
    const widths = header.map((_, column) => Math.max(...[header, ...body].map((row) => row[column]!.length)));
    const line = (row: Row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('   ')
        .trimEnd();
    return [line(header), line(widths.map((width) => '-'.repeat(width)) as Row), ...body.map(line)].join('\n');
  };
  const profile = (name: string, p: LlmProfile) =>
    `  ${name}: first token after ${p.firstTokenDelayMs} ms, ${p.chunks} chunks ${p.intervalMs} ms apart`;
  const distributionNote = (name: string, d: Distribution) =>
    `${name} ${ms(d.p50)} p50, ${ms(d.p99)} p99 (${d.samples})`;
  return [
    `Relay overhead on loopback (${availableParallelism()} cores, Node ${process.version}, load average ` +
      `${results.load.before.toFixed(1)} before, ${results.load.after.toFixed(1)} after); the fake model's profiles:`,
    profile('JSON latency', settings.profiles.json),
    profile('streaming', settings.profiles.stream),
    profile('held back (the streaming profile in lock-step with the client)', settings.profiles.heldBack),
    profile('throughput', settings.profiles.throughput),
    profile(`memory (${memory.streams} streams)`, settings.profiles.memory),
    '',
    table(['figure', 'measured', 'target', 'result'], rows),
    '',
    `Baselines, the client calling the fake model directly: ${distributionNote('HTTP overhead of a call', json.directOverhead)};`,
    `  ${distributionNote('first chunk transit', stream.directFirst)}; ${distributionNote('later chunk transit', stream.directLater)}.`,
    `A fresh process's first ${coldJson.added.samples} JSON rounds, before it was run in (${settings.warmUpMs / 1000} s at ` +
      `concurrency 32, JSON and SSE; nothing above is measured before that): added latency ` +
      `${ms(coldJson.added.p50)} p50, ${ms(coldJson.added.p99)} p99.`,
    `Samples: ${json.added.samples} JSON rounds, ${stream.addedFirst.samples} streams (${stream.addedPerChunk.samples} later chunks); ` +
      `throughput over ${settings.throughputMs / 1000} s each: floor ${throughput.floor.completed}, JSON ${throughput.json.completed}, ` +
      `SSE ${throughput.sse.completed} rounds (failed: ${throughput.floor.failed + throughput.json.failed + throughput.sse.failed}).`,
    `Memory, in a bridge of its own: ${(memory.before / MB).toFixed(0)} MB idle before the runs; per run, streams ` +
      `open at the model at once: ${memory.runs.map((run) => run.concurrentAtModel).join(', ')}; failed streams: ` +
      `${failedStreams}. The other bridge, after the throughput phase: ${(results.rssAfterThroughput / MB).toFixed(0)} MB.`,
    stealNote(results.steal),
    coldCodeNote(results.coldCode),
    `Bridge log lines at warn or error: ${results.problems.length}${results.problems.length ? `, e.g. ${results.problems[0]}` : ''}.`,
    '',
    `SQLite work of one model-answered JSON round, store calls in isolation (${sqlite.rounds} rounds, µs):`,
    ...sqlite.calls.map(
      (call) =>
        `  ${call.name.padEnd(22)} ${call.p50.toFixed(1).padStart(7)} p50 ${call.p99.toFixed(1).padStart(8)} p99`,
    ),
  ].join('\n');
}

/** The figures above are timed on a virtual machine whose host may run others on our CPUs meanwhile. */
function stealNote(steal: RelayResults['steal']): string {
  const percent = (share: number) => `${(share * 100).toFixed(0)}%`;
  const phase = (name: string, taken: Steal | undefined) =>
    taken ? `${name} ${percent(taken.ofWanted)} (${percent(taken.ofAll)} of all)` : `${name} not known`;
  return (
    'CPU time the hypervisor gave elsewhere (steal) of the time the machine wanted a CPU: ' +
    `${phase('JSON latency', steal.json)}, ${phase('streaming', steal.stream)}, ${phase('throughput', steal.throughput)}.`
  );
}

/** How much slower code runs after a pause on this machine today (cold-code.ts): what a lone round meets. */
function coldCodeNote(cold: ColdCode): string {
  const micros = (value: number) => `${value.toFixed(1)} µs`;
  return (
    `Code after a pause, just before the JSON phase: a model chunk's JSON.parse took ${micros(cold.afterPauseMicros)} ` +
    `p50 as the first thing after ${cold.pauseMs} ms asleep, ${micros(cold.hotMicros)} run again at once ` +
    `(${(cold.afterPauseMicros / cold.hotMicros).toFixed(1)}×, ${cold.samples} samples).`
  );
}
