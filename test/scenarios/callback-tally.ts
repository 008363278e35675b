import type { FakeSobot } from '../fakes/fake-sobot.js';
import type { PlannedRound } from './mixed-rounds.js';

export interface CallbackTally {
  owed: number;
  /** Owed callbacks Sobot accepted exactly once. */
  deliveredOnce: number;
  /** Owed callbacks Sobot never accepted. */
  lost: number;
  /** Extra receipts beyond the first, over all callbacks. */
  duplicates: number;
  /** Callbacks Sobot accepted that no round owed. */
  unexpected: number;
}

/** Compares what the rounds owed with what the fake Sobot accepted, per round and kind. */
export function tallyCallbacks(rounds: PlannedRound[], sobot: FakeSobot): CallbackTally {
  const tally: CallbackTally = { owed: 0, deliveredOnce: 0, lost: 0, duplicates: 0, unexpected: 0 };
  const owed = new Set<string>();
  for (const round of rounds) {
    for (const kind of round.owes) {
      owed.add(`${String(round.body.roundid)}/${kind}`);
      tally.owed++;
      const receipts = sobot.receipts(String(round.body.roundid), kind);
      if (receipts === 0) tally.lost++;
      else tally.deliveredOnce += receipts === 1 ? 1 : 0;
      tally.duplicates += Math.max(0, receipts - 1);
    }
  }
  tally.unexpected = sobot.accepted.filter((callback) => !owed.has(`${callback.roundid}/${callback.kind}`)).length;
  return tally;
}
