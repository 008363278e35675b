import { describe, expect, it } from 'vitest';
import { fuzzWebhook } from './scenarios/malformed-input.js';

describe('malformed input', () => {
  it('thousands of generated bodies: never a 5xx, never a crash, every error in the envelope', async () => {
    const report = await fuzzWebhook({ runs: 3000, seed: 20260109 });
    expect(report.failure).toBeUndefined();
    expect(report.serverErrors).toBe(0);
    expect(report.crashes).toBe(0);
    expect(report.errorLogs).toEqual([]);
    expect(report.healthyAfter).toBe(true);
    // The generator reached every kind of body, and the bridge both answered and refused.
    expect(Object.keys(report.byKind).sort()).toEqual(
      ['any-json', 'broken-json', 'bytes', 'click', 'huge', 'near-valid'].sort(),
    );
    expect(report.byStatus['200']).toBeGreaterThan(0);
    expect(report.byStatus['400']).toBeGreaterThan(0);
  }, 120_000);
});
