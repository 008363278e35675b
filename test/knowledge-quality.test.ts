import { describe, expect, it } from 'vitest';
import { measureRetrieval } from '../bench/knowledge-retrieval.js';

/**
 * A floor under retrieval quality on the shipped sample, so a change to the tokenizer, weights or
 * search cannot quietly make it worse. The figures themselves are printed by `npm run bench`.
 */
describe('retrieval quality on the labelled sample questions', () => {
  for (const file of ['bench/knowledge-eval.json', 'bench/knowledge-eval-holdout.json']) {
    it(`finds the right entry in the top 3 for at least 85% of ${file}`, async () => {
      const report = await measureRetrieval(file);
      const used = report.results.find((row) => row.name === 'SQLite FTS5')!;
      expect(used.top3.all).toBeGreaterThanOrEqual(0.85);
      expect(used.top3.en).toBeGreaterThanOrEqual(0.8);
      expect(used.top3.zh).toBeGreaterThanOrEqual(0.8);
    });
  }

  it('answers FAQ questions directly only when right, at the default threshold', async () => {
    const report = await measureRetrieval('bench/knowledge-eval.json');
    const atDefault = report.router.sweep.find((row) => row.threshold === report.router.chosen)!;
    expect(atDefault.direct).toBeGreaterThan(0);
    expect(atDefault.correct).toBe(atDefault.direct);
  });
});
