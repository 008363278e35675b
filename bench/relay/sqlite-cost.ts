import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createItemEncoder } from '../../src/sobot/item-encoder.js';
import { parseThirdAlgorithmRequest } from '../../src/sobot/parse-request.js';
import type { RoundCompletion } from '../../src/store/round-store.js';
import { createDrizzleStores } from '../../src/store/drizzle-stores.js';
import { noopLogger } from '../../src/runtime/logger.js';
import { openNodeDatabase } from '../../src/store/open-node-database.js';
import { percentile } from './stats.js';

export interface SqliteCost {
  rounds: number;
  /** Per store call, in the order a round makes them: p50 and p99 in microseconds. */
  calls: Array<{ name: string; p50: number; p99: number }>;
  perRound: { p50: number; p99: number };
}

const CALLS = ['claimRound', 'touchConversation', 'workflowSessions.get', 'completeRound'] as const;

/**
 * The store calls of one model-answered JSON round, made as the round makes them, on a database file
 * opened and migrated as the service opens it (WAL, synchronous=NORMAL), with conversations of ten
 * rounds so the claim's history read finds turns. In-process and without HTTP: the cost of the SQLite work
 * alone, one round at a time (rounds in flight together share their commits: the throughput figures show
 * that). A round that waits for an earlier one of its conversation reads its history again: not timed.
 */
export async function measureSqliteCost(rounds = 3000, warmUp = 500): Promise<SqliteCost> {
  const directory = mkdtempSync(join(tmpdir(), 'bridge-bench-sqlite-'));
  const database = openNodeDatabase(join(directory, 'bench.db'));
  const stores = createDrizzleStores(database.db, database.atomic, database.grouped, noopLogger);
  const samples = new Map<string, number[]>(CALLS.map((name) => [name, []]));
  const totals: number[] = [];
  try {
    for (let index = 0; index < warmUp + rounds; index++) {
      const measured = index >= warmUp;
      const times = await oneRound(stores, index);
      if (!measured) continue;
      let total = 0;
      for (const [name, micros] of times) {
        samples.get(name)!.push(micros);
        total += micros;
      }
      totals.push(total);
    }
  } finally {
    database.close();
    rmSync(directory, { recursive: true, force: true });
  }
  return {
    rounds,
    calls: CALLS.map((name) => {
      const values = samples.get(name)!;
      return { name, p50: percentile(values, 50), p99: percentile(values, 99) };
    }),
    perRound: { p50: percentile(totals, 50), p99: percentile(totals, 99) },
  };
}

async function oneRound(stores: ReturnType<typeof createDrizzleStores>, index: number) {
  const times: Array<[string, number]> = [];
  const timed = async <T>(name: string, call: () => Promise<T>): Promise<T> => {
    // Each call in a turn of the event loop of its own, as a lone round makes them: its writes commit alone.
    await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    const result = await call();
    times.push([name, (performance.now() - started) * 1000]);
    return result;
  };
  const cid = `cid-${Math.floor(index / 10)}`;
  const raw = JSON.stringify({
    roundid: `round-${index}`,
    ai_agent_cid: cid,
    question: `Question number ${index}: how long does shipping to Lyon take?`,
    robotid: 'robot-1',
    companyid: 'company-1',
    robot_model: 'THIRD_STANDARD',
  });
  const request = parseThirdAlgorithmRequest(raw);
  const now = Date.now();
  const claim = await timed('claimRound', () =>
    stores.rounds.claimRound(
      {
        cid,
        roundid: request.roundid,
        companyid: request.companyid,
        robotid: request.robotid,
        question: request.question,
        inputType: request.input_type_enum,
        msgType: 'TEXT',
        robotModel: request.robot_model,
        isTest: false,
        reqStream: false,
        copilot: false,
        request: raw,
        receivedAt: now,
        at: now,
        history: { since: now - 1_800_000, limit: 10 },
      },
      now - 90_000,
    ),
  );
  if (claim.kind !== 'claimed') throw new Error('the benchmark round was not claimed');
  await timed('touchConversation', () =>
    stores.rounds.touchConversation({ cid, robotid: request.robotid, companyid: request.companyid, at: now }),
  );
  await timed('workflowSessions.get', () => stores.workflowSessions.get(cid, now));
  const answer = 'Orders to France arrive in 3 to 5 business days; you get a tracking link by email. '.repeat(3);
  const encoder = createItemEncoder(request);
  const info = { answerType: 'GENERAL' as const, success: true, lan: 'en' };
  const completion: RoundCompletion = {
    cid,
    roundid: request.roundid,
    status: 'succeeded',
    answerSource: 'llm',
    sources: [],
    answerText: answer,
    answerType: 'GENERAL',
    lan: 'en',
    success: true,
    items: [encoder.message(answer, 'en', 'GENERAL'), encoder.answerInfo(info)],
    model: 'gpt-4o-mini',
    promptTokens: 120,
    completionTokens: 60,
    totalTokens: 180,
    firstTokenMs: 300,
    // On Node a JSON round's reply goes out just before it is stored, so the first byte is known by then.
    firstByteMs: 901,
    latencyMs: 900,
    at: now + 900,
    callbacks: [],
  };
  await timed('completeRound', () => stores.rounds.completeRound(claim.id, completion));
  return times;
}
