import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noopLogger } from '../src/runtime/logger.js';
import { createDrizzleStores } from '../src/store/drizzle-stores.js';
import { openNodeDatabase, type NodeDatabase } from '../src/store/open-node-database.js';
import type { RoundClaim, RoundStore } from '../src/store/round-store.js';

/** A claim that reads its conversation's turns must read what `recentTurns` reads, on the shipped schema. */
let directory: string;
let database: NodeDatabase;
let store: RoundStore;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'round-store-claim-'));
  database = openNodeDatabase(join(directory, 'bridge.db'));
  store = createDrizzleStores(database.db, database.atomic, database.grouped, noopLogger).rounds;
});
afterEach(() => {
  database.close();
  rmSync(directory, { recursive: true, force: true });
});

let sequence = 0;

function claimOf(cid: string, at: number, fields: Partial<RoundClaim> = {}): RoundClaim {
  sequence += 1;
  return {
    cid,
    roundid: `round-${sequence}`,
    question: `question ${sequence}`,
    inputType: 'INPUT',
    msgType: 'TEXT',
    isTest: false,
    reqStream: false,
    copilot: false,
    request: '{}',
    receivedAt: at,
    at,
    ...fields,
  };
}

/** Claims and stores a round with `status`, answered `answer <n>`. */
async function storedRound(cid: string, at: number, status: 'succeeded' | 'failed', fields: Partial<RoundClaim> = {}) {
  const claim = claimOf(cid, at, fields);
  const result = await store.claimRound(claim, 0);
  if (result.kind !== 'claimed') throw new Error('not claimed');
  await store.completeRound(result.id, {
    cid,
    roundid: claim.roundid,
    status,
    answerSource: 'llm',
    sources: [],
    answerText: `answer to ${claim.question}`,
    answerType: 'GENERAL',
    lan: 'en',
    success: status === 'succeeded',
    items: [],
    latencyMs: 1,
    at: at + 1,
    callbacks: [],
  });
}

describe('claiming a round with its history', () => {
  it('returns the turns recentTurns returns for it: same window, filters, limit and order', async () => {
    const t0 = Date.UTC(2026, 0, 1);
    await storedRound('visitor', t0 - 60_000, 'succeeded', { question: 'before the window' });
    await storedRound('visitor', t0, 'succeeded', { inputType: 'WELCOME', question: '' });
    await storedRound('visitor', t0 + 1000, 'succeeded', { question: 'first', showQuestion: 'shown first' });
    await storedRound('someone else', t0 + 1500, 'succeeded', { question: 'not this conversation' });
    await storedRound('visitor', t0 + 2000, 'failed', { question: 'failed' });
    await storedRound('visitor', t0 + 3000, 'succeeded', { msgType: 'IMG', question: 'https://example.test/a.png' });
    await storedRound('visitor', t0 + 4000, 'succeeded', { question: 'third' });

    const window = { since: t0 - 1000, limit: 10 };
    const claimed = await store.claimRound(claimOf('visitor', t0 + 5000, { history: window }), 0);
    if (claimed.kind !== 'claimed') throw new Error('not claimed');
    const expected = await store.recentTurns('visitor', window.since, claimed.id, window.limit);
    expect(expected.map((turn) => turn.question)).toEqual(['first', 'https://example.test/a.png', 'third']);
    expect(claimed.turns).toEqual(expected);
    expect(claimed.turns?.[0]).toEqual({
      question: 'first',
      showQuestion: 'shown first',
      msgType: 'TEXT',
      answer: 'answer to first',
    });

    // The newest, when there are more than the limit.
    const limited = await store.claimRound(claimOf('visitor', t0 + 6000, { history: { ...window, limit: 2 } }), 0);
    if (limited.kind !== 'claimed') throw new Error('not claimed');
    expect(limited.turns?.map((turn) => turn.question)).toEqual(['https://example.test/a.png', 'third']);
    expect(limited.turns).toEqual(await store.recentTurns('visitor', window.since, limited.id, 2));
  });

  it('returns no turns for a new conversation, and none unless asked', async () => {
    const first = await store.claimRound(claimOf('new', 1000, { history: { since: 0, limit: 5 } }), 0);
    expect(first).toMatchObject({ kind: 'claimed', turns: [] });
    const unasked = await store.claimRound(claimOf('new', 2000), 0);
    expect(unasked).toEqual({ kind: 'claimed', id: expect.any(Number), takenOver: false });
  });

  it('reads nothing for a repeat: the existing round is returned as before', async () => {
    const claim = claimOf('repeat', 1000, { history: { since: 0, limit: 5 } });
    await store.claimRound(claim, 0);
    expect(await store.claimRound(claim, 0)).toMatchObject({ kind: 'existing', round: { roundid: claim.roundid } });
  });
});
