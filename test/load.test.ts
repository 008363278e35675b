import { describe, expect, it } from 'vitest';
import { runLoad } from './scenarios/load.js';

describe('500 rounds at once, mixed JSON, SSE, copilot and batch', () => {
  for (const processes of [1, 2] as const) {
    it(`on ${processes === 1 ? 'one bridge' : 'two bridge processes sharing one database file'}`, async () => {
      const report = await runLoad(500, processes);
      expect(report.replyProblems).toEqual([]);
      expect(report.warnings).toEqual([]);
      expect(report.busy).toBe(0);
      expect(report.crashes).toBe(0);
      expect(report.roundsLost).toBe(0);
      expect(report.database).toMatchObject({ integrity: 'ok', rounds: 500, corrupt: [] });
      // Of 500 rounds cycling through six modes, 249 owe one callback and 83 two.
      expect(report).toMatchObject({ owed: 415, deliveredOnce: 415, lost: 0, duplicates: 0, unexpected: 0 });
    }, 60_000);
  }
});
