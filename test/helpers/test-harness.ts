import { afterAll, afterEach, beforeAll } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';
import { startBridge, type Bridge, type BridgeOptions } from './bridge.js';

export interface TestHarness {
  /** The file's fake OpenAI-compatible server. */
  readonly llm: FakeOpenAI;
  /** Environment pointing the bridge at the fake LLM, plus `extra`. */
  llmEnv(extra?: Record<string, string>): Record<string, string>;
  /** Starts a bridge that is stopped and deleted after the current test. */
  start(options?: BridgeOptions): Promise<Bridge>;
}

/** Registers the hooks: one fake LLM per test file, and bridges that live for one test each. */
export function useTestHarness(): TestHarness {
  let llm: FakeOpenAI | undefined;
  const bridges: Bridge[] = [];
  beforeAll(async () => {
    llm = await startFakeOpenAI();
  });
  afterEach(async () => {
    // All stopped before any directory goes: a test may have started a second bridge on the first one's database.
    const started = bridges.splice(0);
    for (const bridge of started) await bridge.stop();
    for (const bridge of started) bridge.cleanup();
  });
  afterAll(async () => {
    await llm?.close();
  });
  const fakeLlm = () => {
    if (!llm) throw new Error('the fake LLM starts in beforeAll; use it inside tests');
    return llm;
  };
  return {
    get llm() {
      return fakeLlm();
    },
    llmEnv: (extra = {}) => ({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fakeLlm().baseUrl, ...extra }),
    async start(options = {}) {
      const bridge = await startBridge(options);
      bridges.push(bridge);
      return bridge;
    },
  };
}
