import type { LlmCallTimes, LlmProfile } from './fake-llm.js';
import { post, type Exchange } from './http-client.js';
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

/** The fake model's record of a call, once it has finished. */
function llmTimes(setup: RelaySetup, tag: string): LlmCallTimes {
  const times = setup.llm.calls.get(tag);
  if (!times) throw new Error(`the fake model never finished the call for ${tag}`);
  setup.llm.calls.delete(tag);
  return times;
}

function expectOk(exchange: Exchange, what: string) {
  if (exchange.status !== 200) throw new Error(`${what}: HTTP ${exchange.status} ${exchange.body.slice(0, 300)}`);
}

/**
 * Non-streaming rounds, one at a time. Each call's own time inside the fake model (from receiving it to
 * writing its last byte) is subtracted, so its timers' jitter does not count; what is left is a hop's
 * overhead. Added latency = the bridge's overhead on a round minus the median overhead of calling the
 * fake model directly (the client's own HTTP round trip).
 */
export async function measureJsonLatency(setup: RelaySetup, profile: LlmProfile, rounds: number) {
  setup.llm.profile = profile;
  const direct: number[] = [];
  const bridged: number[] = [];
  for (let index = 0; index < rounds; index++) {
    const directTag = nextTag();
    const straight = await post(new URL(`${setup.llm.baseUrl}/chat/completions`), chatBody(directTag));
    expectOk(straight, 'direct call');
    const directLlm = llmTimes(setup, directTag);
    direct.push(straight.endedAt - straight.startedAt - (directLlm.endedAt - directLlm.receivedAt));

    const tag = nextTag();
    const round = await post(new URL(`${setup.bridge.url}/sobot/agent`), sobotBody(tag, false));
    expectOk(round, 'bridge JSON round');
    if (!round.body.includes('word0')) throw new Error(`bridge JSON round without the model's text: ${round.body}`);
    const llm = llmTimes(setup, tag);
    bridged.push(round.endedAt - round.startedAt - (llm.endedAt - llm.receivedAt));
  }
  const floor = median(direct);
  return {
    directOverhead: distribution(direct),
    added: distribution(bridged.map((overhead) => overhead - floor)),
  };
}

/**
 * Streamed rounds, one at a time. The fake model notes when it wrote each chunk and the client when
 * each event arrived, on one clock (both live in this process). A chunk's transit is arrival minus
 * write; the bridge adds its transit minus the median transit of the same chunk position when the
 * client reads the fake model directly. Event k of the bridge's stream carries chunk k.
 */
export async function measureStreaming(setup: RelaySetup, profile: LlmProfile, rounds: number) {
  setup.llm.profile = profile;
  const directFirst: number[] = [];
  const directLater: number[] = [];
  const bridgeFirst: number[] = [];
  const bridgeLater: number[] = [];
  let heldBack = 0;
  let frames = 0;
  for (let index = 0; index < rounds; index++) {
    const directTag = nextTag();
    const straight = await post(new URL(`${setup.llm.baseUrl}/chat/completions`), chatBody(directTag));
    expectOk(straight, 'direct stream');
    const directLlm = llmTimes(setup, directTag);
    directLlm.chunkWrittenAt.forEach((writtenAt, chunk) =>
      (chunk === 0 ? directFirst : directLater).push(straight.frameArrivals[chunk]! - writtenAt),
    );

    const tag = nextTag();
    const round = await post(new URL(`${setup.bridge.url}/sobot/agent`), sobotBody(tag, true));
    expectOk(round, 'bridge stream');
    const llm = llmTimes(setup, tag);
    if (round.frameArrivals.length < profile.chunks + 2) {
      throw new Error(`bridge stream with ${round.frameArrivals.length} events: ${round.body.slice(0, 500)}`);
    }
    llm.chunkWrittenAt.forEach((writtenAt, chunk) => {
      const arrivedAt = round.frameArrivals[chunk]!;
      (chunk === 0 ? bridgeFirst : bridgeLater).push(arrivedAt - writtenAt);
      // Held back: the visitor got this chunk only after the model had already written the next one.
      const next = llm.chunkWrittenAt[chunk + 1];
      if (next !== undefined && arrivedAt > next) heldBack++;
      frames++;
    });
  }
  const firstFloor = median(directFirst);
  const laterFloor = median(directLater);
  return {
    directFirst: distribution(directFirst),
    directLater: distribution(directLater),
    addedFirst: distribution(bridgeFirst.map((transit) => transit - firstFloor)),
    addedPerChunk: distribution(bridgeLater.map((transit) => transit - laterFloor)),
    heldBack,
    frames,
  };
}
