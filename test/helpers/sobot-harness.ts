import { afterEach, beforeEach } from 'vitest';
import { sobotEnv, startFakeSobot, type FakeSobot } from '../fakes/fake-sobot.js';
import type { TestHarness } from './test-harness.js';

export interface SobotHarness {
  /** This test's fake Sobot open platform (a fresh one per test, so recorded calls stay apart). */
  readonly sobot: FakeSobot;
  /** Environment for a bridge using the fake LLM and this fake Sobot, with fast retries, plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
}

export function useFakeSobot(harness: TestHarness): SobotHarness {
  let sobot: FakeSobot | undefined;
  beforeEach(async () => {
    sobot = await startFakeSobot();
  });
  afterEach(async () => {
    await sobot?.close();
  });
  const current = () => {
    if (!sobot) throw new Error('the fake Sobot starts in beforeEach; use it inside tests');
    return sobot;
  };
  return {
    get sobot() {
      return current();
    },
    env: (extra = {}) =>
      harness.llmEnv({
        ...sobotEnv(current()),
        CALLBACK_RETRY_BASE_MS: '20',
        CALLBACK_RETRY_MAX_MS: '100',
        CALLBACK_POLL_INTERVAL_MS: '50',
        ...extra,
      }),
  };
}
