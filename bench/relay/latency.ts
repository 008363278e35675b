import type { ChildServer } from './child-server.js';
import { takeCall, type LlmCallTimes, type LlmProfile } from './fake-llm.js';
import { epoch, explainLate, readPauses, watchOwnPauses, type Span } from './gc-pauses.js';
import { expectOk, post, type Exchange } from './http-client.js';
import { chatBody, nextTag, sobotBody, type RelaySetup } from './relay-setup.js';
import { median, percentile } from './stats.js';

export interface Distribution {
  p50: number;
  p99: number;
  samples: number;
}

const distribution = (values: number[]): Distribution => ({
  p50: percentile(values, 50),
  p99: percentile(values, 99),
  samples: values.length,
});

// The fake model's endpoint, called directly and through the floor relay.
const completions = '/chat/completions';

/** A call's time in the client minus the fake model's own time on it: what the hops around the model took. */
async function hopOverhead(setup: RelaySetup, url: string, body: (tag: string) => string, what: string) {
  const tag = nextTag();
  const exchange = await post(new URL(url), body(tag));
  expectOk(exchange, what);
  const llm = takeCall(setup.llm, tag);
  return { exchange, llm, overhead: exchange.endedAt - exchange.startedAt - (llm.endedAt - llm.receivedAt) };
}

/** A Sobot JSON round's hop overhead through `server`, which must have answered with the model's text. */
async function jsonRoundOverhead(setup: RelaySetup, server: ChildServer, what: string): Promise<number> {
  const round = await hopOverhead(setup, `${server.url}/sobot/agent`, (tag) => sobotBody(tag, false), what);
  if (!round.exchange.body.includes('word0')) {
    throw new Error(`${what} without the model's text: ${round.exchange.body}`);
  }
  return round.overhead;
}

/**
 * Non-streaming rounds, one at a time. Each call's own time inside the fake model (from receiving it to
 * writing its last byte) is subtracted, so its timers' jitter does not count; what is left is a hop's
 * overhead. Added latency = the bridge's overhead on a round minus the median overhead of calling the
 * fake model directly (the client's own HTTP round trip). The floor relay's calls, alternating with
 * them, are measured the same way: what one more HTTP hop costs any relay on this machine. So are the
 * bare bridge's rounds: what a round's essential work costs on top of that hop.
 */
export async function measureJsonLatency(setup: RelaySetup, profile: LlmProfile, rounds: number) {
  setup.llm.profile = profile;
  const direct: number[] = [];
  const floor: number[] = [];
  const bare: number[] = [];
  const bridged: number[] = [];
  for (let index = 0; index < rounds; index++) {
    direct.push((await hopOverhead(setup, setup.llm.baseUrl + completions, chatBody, 'direct call')).overhead);
    floor.push((await hopOverhead(setup, setup.floor.url + completions, chatBody, 'floor relay call')).overhead);
    bare.push(await jsonRoundOverhead(setup, setup.bare, 'bare bridge JSON round'));
    bridged.push(await jsonRoundOverhead(setup, setup.bridge, 'bridge JSON round'));
  }
  const baseline = median(direct);
  return {
    directOverhead: distribution(direct),
    floorAdded: distribution(floor.map((overhead) => overhead - baseline)),
    bareAdded: distribution(bare.map((overhead) => overhead - baseline)),
    added: distribution(bridged.map((overhead) => overhead - baseline)),
  };
}

/** Late: the chunks the client got only after the model had already written the next one. */
function lateChunks(exchange: Exchange, llm: LlmCallTimes): number[] {
  return llm.chunkWrittenAt.flatMap((_, chunk) => {
    const next = llm.chunkWrittenAt[chunk + 1];
    return next !== undefined && exchange.frameArrivals[chunk]! > next ? [chunk] : [];
  });
}

/** A late chunk's way, from the model's write to the client's read, on the pause logs' clock. */
const lateSpan = (exchange: Exchange, llm: LlmCallTimes, chunk: number): Span => ({
  start: epoch(llm.chunkWrittenAt[chunk]!),
  end: epoch(exchange.frameArrivals[chunk]!),
});

/** Each chunk's transit (arrival at the client minus the model's write), the first apart from the rest. */
function transits(exchange: Exchange, llm: LlmCallTimes, into: { first: number[]; later: number[] }) {
  llm.chunkWrittenAt.forEach((writtenAt, chunk) =>
    (chunk === 0 ? into.first : into.later).push(exchange.frameArrivals[chunk]! - writtenAt),
  );
}

/**
 * Streamed rounds, one at a time. The fake model notes when it wrote each chunk and the client when
 * each event arrived, on one clock (both live in this process). A chunk's transit is arrival minus
 * write; the bridge adds its transit minus the median transit of the same chunk position when the
 * client reads the fake model directly. Event k of the bridge's stream carries chunk k, as frame k of
 * the floor relay's, which passes the model's bytes on as they are.
 */
export async function measureStreaming(setup: RelaySetup, profile: LlmProfile, rounds: number) {
  setup.llm.profile = profile;
  const direct = { first: [] as number[], later: [] as number[] };
  const floor = { first: [] as number[], later: [] as number[] };
  const bridge = { first: [] as number[], later: [] as number[] };
  // Each late chunk's way, for its count and for what paused while it was on its way.
  const late = { bridge: [] as Span[], floor: [] as Span[] };
  let bridgeFirstLate = 0;
  const ownPauses = watchOwnPauses();
  let frames = 0;
  for (let index = 0; index < rounds; index++) {
    const straight = await hopOverhead(setup, setup.llm.baseUrl + completions, chatBody, 'direct stream');
    transits(straight.exchange, straight.llm, direct);
    const relayed = await hopOverhead(setup, setup.floor.url + completions, chatBody, 'floor relay stream');
    transits(relayed.exchange, relayed.llm, floor);
    const floorLate = lateChunks(relayed.exchange, relayed.llm);
    late.floor.push(...floorLate.map((chunk) => lateSpan(relayed.exchange, relayed.llm, chunk)));

    const { exchange: round, llm } = await hopOverhead(
      setup,
      `${setup.bridge.url}/sobot/agent`,
      (tag) => sobotBody(tag, true),
      'bridge stream',
    );
    if (round.frameArrivals.length < profile.chunks + 2) {
      throw new Error(`bridge stream with ${round.frameArrivals.length} events: ${round.body.slice(0, 500)}`);
    }
    transits(round, llm, bridge);
    const bridgeLate = lateChunks(round, llm);
    if (bridgeLate.includes(0)) bridgeFirstLate++;
    late.bridge.push(...bridgeLate.map((chunk) => lateSpan(round, llm, chunk)));
    frames += llm.chunkWrittenAt.length;
  }
  // Node reports a pause to its observers a moment after it; the last stream's must be in the logs.
  await new Promise((resolve) => setTimeout(resolve, 100));
  ownPauses.stop();
  const firstBaseline = median(direct.first);
  const laterBaseline = median(direct.later);
  const added = (values: number[], baseline: number) => distribution(values.map((transit) => transit - baseline));
  return {
    directFirst: distribution(direct.first),
    directLater: distribution(direct.later),
    floorFirst: added(floor.first, firstBaseline),
    floorPerChunk: added(floor.later, laterBaseline),
    addedFirst: added(bridge.first, firstBaseline),
    addedPerChunk: added(bridge.later, laterBaseline),
    late: { bridge: late.bridge.length, bridgeFirst: bridgeFirstLate, floor: late.floor.length },
    // A chunk made late by a pause of the relay's own process, of this one (the client and the model), or
    // by neither: what stands behind the late counts.
    lateDuring: {
      bridge: explainLate(late.bridge, { relay: readPauses(setup.gcLogs.bridge), benchmark: ownPauses.pauses }),
      floor: explainLate(late.floor, { relay: readPauses(setup.gcLogs.floor), benchmark: ownPauses.pauses }),
    },
    frames,
    streams: rounds,
  };
}
