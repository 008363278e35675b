import { and, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import { createClaimStatements, optionalClaimFields, turnsOf } from './round-claim-statements.js';
import { completionColumns, driverValues } from './round-completion-columns.js';
import type { RoundStore } from './round-store.js';
import { bindable, type AtomicWrite, type GroupedWrite, type SqliteDatabase } from './sqlite-database.js';
import { callbacks, conversations, rounds } from './schema.js';

const placeholder = sql.placeholder;

/**
 * The round store on drizzle. Statements are prepared once per store (so once per app), which keeps a
 * round at a handful of small statements with no query building on the hot path. The writes every round
 * makes are `grouped`: on Node, rounds in flight together share their commits.
 */
export function createDrizzleRoundStore(db: SqliteDatabase, atomic: AtomicWrite, grouped: GroupedWrite): RoundStore {
  const claims = createClaimStatements(db);

  const selectRound = db
    .select()
    .from(rounds)
    .where(and(eq(rounds.cid, placeholder('cid')), eq(rounds.roundid, placeholder('roundid'))))
    .prepare();

  // Takes over a round whose owner is gone; the status/updated_at guard makes it a compare-and-set.
  const takeOverRound = db
    .update(rounds)
    .set({ status: 'running', attempt: sql`${rounds.attempt} + 1`, updatedAt: sql`${placeholder('at')}` })
    .where(
      and(
        eq(rounds.id, placeholder('id')),
        or(
          eq(rounds.status, 'aborted'),
          and(eq(rounds.status, 'running'), lt(rounds.updatedAt, placeholder('staleBefore'))),
        ),
      ),
    )
    .returning({ id: rounds.id })
    .prepare();

  const upsertConversation = db
    .insert(conversations)
    .values({
      cid: placeholder('cid'),
      robotid: placeholder('robotid'),
      companyid: placeholder('companyid'),
      partnerid: placeholder('partnerid'),
      sourceEnum: placeholder('sourceEnum'),
      roundCount: 1,
      createdAt: placeholder('at'),
      updatedAt: placeholder('at'),
    })
    .onConflictDoUpdate({
      target: conversations.cid,
      set: {
        robotid: sql`coalesce(excluded.robotid, ${conversations.robotid})`,
        companyid: sql`coalesce(excluded.companyid, ${conversations.companyid})`,
        partnerid: sql`coalesce(excluded.partnerid, ${conversations.partnerid})`,
        sourceEnum: sql`coalesce(excluded.source_enum, ${conversations.sourceEnum})`,
        roundCount: sql`${conversations.roundCount} + 1`,
        updatedAt: sql`excluded.updated_at`,
      },
    })
    .prepare();

  const selectTurns = db
    .select({
      question: rounds.question,
      showQuestion: rounds.showQuestion,
      msgType: rounds.msgType,
      answer: rounds.answerText,
    })
    .from(rounds)
    .where(
      and(
        eq(rounds.cid, placeholder('cid')),
        gte(rounds.createdAt, placeholder('since')),
        lt(rounds.id, placeholder('beforeId')),
        inArray(rounds.status, ['succeeded']),
        sql`${rounds.inputType} <> 'WELCOME'`,
      ),
    )
    .orderBy(desc(rounds.id))
    .limit(placeholder('limit'))
    .prepare();

  let completeStatement: { run(values: Record<string, unknown>): unknown } | undefined;

  const updateFirstByte = db
    .update(rounds)
    .set({ firstByteMs: sql`${placeholder('firstByteMs')}` })
    .where(eq(rounds.id, placeholder('id')))
    .prepare();

  return {
    async ping() {
      // A read: a write would wait out another writer's lock, on Node with the whole process stopped.
      await db.run(sql`select 1`);
    },

    async touchConversation(conversation) {
      const values = bindable({ ...optionalConversationFields, ...conversation });
      await grouped(() => upsertConversation.run(values));
    },

    async claimRound({ history, ...claim }, staleBefore) {
      const values = bindable({ ...optionalClaimFields, ...claim });
      if (history && history.limit > 0) {
        const statement = claims.insertReadingTurns(history.limit);
        const inserted = await grouped(() => statement.get({ ...values, since: history.since }));
        if (inserted) return { kind: 'claimed', id: inserted.id, takenOver: false, turns: turnsOf(inserted.turns) };
      } else {
        const inserted = await grouped(() => claims.insertRound.get(values));
        if (inserted) return { kind: 'claimed', id: inserted.id, takenOver: false };
      }

      const existing = await selectRound.get({ cid: claim.cid, roundid: claim.roundid });
      if (!existing) throw new Error(`round ${claim.cid}/${claim.roundid} vanished during its claim`);
      const takenOver = await takeOverRound.get({ id: existing.id, at: claim.at, staleBefore });
      if (takenOver) return { kind: 'claimed', id: takenOver.id, takenOver: true };
      return { kind: 'existing', round: existing };
    },

    async findRound(cid, roundid) {
      return await selectRound.get({ cid, roundid });
    },

    async completeRound(id, completion) {
      const columns = completionColumns(completion);
      const { callbacks: owed, cid, roundid, at } = completion;
      if (owed.length === 0) {
        // The common case, one statement: prepared on first use, since the columns are always the same.
        completeStatement ??= db
          .update(rounds)
          .set(Object.fromEntries(Object.keys(columns).map((column) => [column, sql`${placeholder(column)}`])))
          .where(eq(rounds.id, placeholder('id')))
          .prepare();
        const statement = completeStatement;
        await grouped(() => statement.run({ ...driverValues(columns), id }));
        return;
      }
      const update = db.update(rounds).set(columns).where(eq(rounds.id, id));
      const enqueue = db
        .insert(callbacks)
        .values(
          owed.map((callback) => ({
            roundId: id,
            cid,
            roundid,
            kind: callback.kind,
            payload: callback.payload,
            status: 'pending' as const,
            nextAttemptAt: at,
            createdAt: at,
            queuedAt: at,
            updatedAt: at,
          })),
        )
        // A round answered afresh after an abort must not queue what it already queued.
        .onConflictDoNothing({ target: [callbacks.roundId, callbacks.kind] });
      // With its callbacks, in one write: a batch on D1, which takes built queries rather than prepared ones.
      await atomic([update, enqueue]);
    },

    async recordFirstByte(id, firstByteMs) {
      await grouped(() => updateFirstByte.run({ id, firstByteMs }));
    },

    async abandonedRounds(staleBefore, limit) {
      return await db
        .select()
        .from(rounds)
        .where(
          and(
            or(eq(rounds.status, 'aborted'), and(eq(rounds.status, 'running'), lt(rounds.updatedAt, staleBefore))),
            or(eq(rounds.copilot, true), sql`coalesce(${rounds.runtimeid}, '') <> ''`),
          ),
        )
        .orderBy(rounds.id)
        .limit(limit);
    },

    async recentTurns(cid, since, beforeId, limit) {
      if (limit <= 0) return [];
      const newestFirst = await selectTurns.all({ cid, since, beforeId, limit });
      return newestFirst.reverse().map((turn) => ({ ...turn, answer: turn.answer ?? '' }));
    },
  };
}

// Every placeholder needs a value, so optional fields that are absent are bound as NULL.
const optionalConversationFields = { robotid: null, companyid: null, partnerid: null, sourceEnum: null };
