import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ChunkGate } from './chunk-gate.js';

/** How the fake model answers: after `firstTokenDelayMs`, `chunks` content deltas `intervalMs` apart. */
export interface LlmProfile {
  firstTokenDelayMs: number;
  chunks: number;
  intervalMs: number;
  /**
   * Lock-step (`gate`): after each chunk the model waits, up to `giveUpMs`, for the client to have that
   * chunk's event, and only then goes on (the interval still follows).
   */
  lockStep?: { giveUpMs: number };
}

/** When, on this process's `performance.now()` clock, the fake received a call and wrote each chunk. */
export interface LlmCallTimes {
  receivedAt: number;
  chunkWrittenAt: number[];
  endedAt: number;
  /** In lock-step: for each chunk, the ms from its write until the client had its event, or null if the model gave up. */
  eventWaits: (number | null)[];
}

export interface BenchLlm {
  /** OPENAI_BASE_URL (ends in /v1); chat completions are at `${baseUrl}/chat/completions`. */
  baseUrl: string;
  profile: LlmProfile;
  /** Times of finished calls, by the `bench-<n>` tag in the call's body. */
  calls: Map<string, LlmCallTimes>;
  /** Where the client reports each event's arrival in lock-step. */
  gate: ChunkGate;
  /** The body of the last call received: what the bridge asks the model, for the bare bridge to ask too. */
  readonly lastBody: string;
  /** Connections clients opened; with keep-alive, far fewer than calls. */
  readonly connections: number;
  /** The most calls under way at once since the last `resetConcurrency`. */
  readonly maxConcurrent: number;
  resetConcurrency(): void;
  close(): Promise<void>;
}

const TAG = /bench-\d+/;

/** The fake model's record of the call tagged `tag`, taken from `calls` once the call has finished. */
export function takeCall(llm: BenchLlm, tag: string): LlmCallTimes {
  const times = llm.calls.get(tag);
  if (!times) throw new Error(`the fake model never finished the call for ${tag}`);
  llm.calls.delete(tag);
  return times;
}

/**
 * A loopback OpenAI-compatible chat-completions server for the benchmark: it always streams (as the
 * bridge asks it to), with the profile in force when a call arrives, and records when it wrote each
 * chunk so the driver, on the same clock, can tell how long each took to reach the client. Frames are
 * built once per profile: the fake should cost as little as possible of the machine being measured.
 */
export async function startBenchLlm(profile: LlmProfile): Promise<BenchLlm> {
  const calls = new Map<string, LlmCallTimes>();
  const gate = new ChunkGate();
  const state = { profile, frames: framesFor(profile), active: 0, maxConcurrent: 0, lastBody: '' };
  const server = createServer((request, response) => void answer(request, response));
  server.keepAliveTimeout = 60_000;
  let connections = 0;
  server.on('connection', () => connections++);

  async function answer(request: IncomingMessage, response: ServerResponse) {
    const receivedAt = performance.now();
    let body = '';
    for await (const chunk of request) body += chunk;
    state.lastBody = body;
    const tag = TAG.exec(body)?.[0];
    const { profile: current, frames } = state;
    const times: LlmCallTimes = { receivedAt, chunkWrittenAt: [], endedAt: 0, eventWaits: [] };
    state.maxConcurrent = Math.max(state.maxConcurrent, ++state.active);
    response.once('close', () => state.active--);
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    response.flushHeaders();
    if (current.firstTokenDelayMs > 0) await sleep(current.firstTokenDelayMs);
    for (const [index, frame] of frames.chunks.entries()) {
      if (response.destroyed) return;
      if (index > 0 && current.intervalMs > 0) await sleep(current.intervalMs);
      response.write(frame);
      const writtenAt = performance.now();
      times.chunkWrittenAt.push(writtenAt);
      if (current.lockStep && tag) {
        const arrived = await gate.wait(tag, index, current.lockStep.giveUpMs);
        times.eventWaits.push(arrived ? performance.now() - writtenAt : null);
      }
    }
    response.end(frames.closing);
    times.endedAt = performance.now();
    if (tag) calls.set(tag, times);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get profile() {
      return state.profile;
    },
    set profile(next: LlmProfile) {
      state.profile = next;
      state.frames = framesFor(next);
    },
    calls,
    gate,
    get lastBody() {
      return state.lastBody;
    },
    get connections() {
      return connections;
    },
    get maxConcurrent() {
      return state.maxConcurrent;
    },
    resetConcurrency() {
      state.maxConcurrent = state.active;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The wire format of OpenAI's streamed chat completions: chunk frames, a finish, usage, [DONE]. */
function framesFor(profile: LlmProfile) {
  const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'bench' };
  const frame = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
  const chunks = Array.from({ length: profile.chunks }, (_, index) =>
    frame({ ...base, choices: [{ index: 0, delta: { content: `word${index} ` }, finish_reason: null }] }),
  );
  const closing =
    frame({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) +
    frame({
      ...base,
      choices: [],
      usage: { prompt_tokens: 50, completion_tokens: profile.chunks, total_tokens: 50 + profile.chunks },
    }) +
    'data: [DONE]\n\n';
  return { chunks, closing };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
