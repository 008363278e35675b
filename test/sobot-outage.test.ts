import { describe, expect, it } from 'vitest';
import { outages, runSobotOutage } from './scenarios/sobot-outage.js';

describe('Sobot down for a while, then back', () => {
  for (const [name, outage] of outages) {
    it(`${name}: every copilot and batch callback arrives exactly once`, async () => {
      const report = await runSobotOutage(outage, 36);
      expect(report.replyProblems).toEqual([]);
      // The scenario waits until each callback has failed at least twice while Sobot was down; then each must
      // arrive once when it comes back.
      expect(report).toMatchObject({ lost: 0, duplicates: 0, unexpected: 0, dead: 0, errorLogs: 0 });
      expect(report.deliveredOnce).toBe(report.owed);
      // Of 36 rounds cycling through the modes, 24 owe callbacks, 6 of them two.
      expect(report.owed).toBe(30);
    });
  }
});
