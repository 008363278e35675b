import { takeCall, type BenchLlm, type LlmProfile } from './fake-llm.js';
import { expectOk, post } from './http-client.js';
import { nextTag } from './relay-setup.js';

/** A relay whose streams are checked for held-back bytes: where to post, and what. */
export interface HeldBackTarget {
  name: string;
  url: string;
  body: (tag: string) => string;
}

export interface HeldBack {
  streams: number;
  chunks: number;
  /** Chunks whose event did not reach the client until the model, having given up waiting, sent more. */
  held: number;
  /** Streams whose first event was held so: a first byte held back. */
  firstHeld: number;
  /** The longest a delivered event took from the model's write to the client, in ms. */
  longestWaitMs: number;
}

/**
 * Held back, as a relay's own doing: the model, in lock-step with the client (`ChunkGate`), writes each
 * chunk and then nothing more until the client has that chunk's event, or until `giveUpMs` has gone by.
 * A relay that keeps any byte until more arrives is caught whatever the machine does, and one that is
 * merely paused (a garbage collection, a stalled virtual CPU) is not: its event comes late, but comes,
 * and the pause shows in the per-chunk delay's tail instead. Streams of the targets take turns.
 */
export async function measureHeldBack(
  llm: BenchLlm,
  targets: HeldBackTarget[],
  profile: LlmProfile & { lockStep: { giveUpMs: number } },
  streams: number,
): Promise<Record<string, HeldBack>> {
  llm.profile = profile;
  const results: Record<string, HeldBack> = Object.fromEntries(
    targets.map((target) => [target.name, { streams: 0, chunks: 0, held: 0, firstHeld: 0, longestWaitMs: 0 }]),
  );
  for (let index = 0; index < streams; index++) {
    for (const target of targets) {
      const tag = nextTag();
      const exchange = await post(new URL(target.url), target.body(tag), (event) => llm.gate.arrived(tag, event));
      expectOk(exchange, `${target.name} stream`);
      const call = takeCall(llm, tag);
      const result = results[target.name]!;
      result.streams++;
      result.chunks += call.eventWaits.length;
      result.held += call.eventWaits.filter((wait) => wait === null).length;
      if (call.eventWaits[0] === null) result.firstHeld++;
      result.longestWaitMs = Math.max(result.longestWaitMs, ...call.eventWaits.map((wait) => wait ?? 0));
    }
  }
  return results;
}
