import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every test talks to real loopback servers; the fake LLM's stalls are short but real.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
