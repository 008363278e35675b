import { describe, expect, it } from 'vitest';
import { runKillRestart } from './scenarios/kill-restart.js';

describe('kill -9 with rounds mid-answer and callbacks pending', () => {
  // Slow by nature: the restarted bridge can only tell a round was abandoned once it is stale (the model's
  // deadline, 3 s here, plus 30 s), since another process might still be answering it.
  it('after a restart, every callback arrives once, every round is answered, and no row is corrupt', async () => {
    const report = await runKillRestart(12, 12);
    // What the kill left: a sound file, 12 rounds answered, 12 still marked running.
    expect(report.afterKill).toMatchObject({
      integrity: 'ok',
      corrupt: [],
      roundsByStatus: { succeeded: 12, running: 12 },
    });
    // Of the 12 cut rounds, the 8 that owe Sobot a callback were answered again by the restarted bridge;
    // the other 4 were answered afresh when Sobot retried them.
    expect(report).toMatchObject({ recovered: 8, answeredOnRetry: 4, roundsLost: 0, replyProblems: [], crashes: 0 });
    expect(report).toMatchObject({ owed: 20, deliveredOnce: 20, lost: 0, duplicates: 0, unexpected: 0 });
    expect(report.atEnd).toMatchObject({
      integrity: 'ok',
      corrupt: [],
      roundsByStatus: { succeeded: 24 },
      callbacksByStatus: { delivered: 20 },
    });
  }, 90_000);
});
