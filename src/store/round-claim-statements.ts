import { sql } from 'drizzle-orm';
import type { ConversationTurn } from './round-store.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { rounds } from './schema.js';

const placeholder = sql.placeholder;

/**
 * The claim's prepared statements: the round's INSERT (a duplicate inserts nothing), alone or also
 * returning the conversation's answered turns before it, in one statement, so a round with history
 * makes one store call before its model call.
 */
export function createClaimStatements(db: SqliteDatabase) {
  const insertClaim = () =>
    db
      .insert(rounds)
      .values({
        cid: placeholder('cid'),
        roundid: placeholder('roundid'),
        companyid: placeholder('companyid'),
        robotid: placeholder('robotid'),
        question: placeholder('question'),
        showQuestion: placeholder('showQuestion'),
        inputType: placeholder('inputType'),
        msgType: placeholder('msgType'),
        robotModel: placeholder('robotModel'),
        isTest: placeholder('isTest'),
        reqStream: placeholder('reqStream'),
        copilot: placeholder('copilot'),
        runtimeid: placeholder('runtimeid'),
        questionid: placeholder('questionid'),
        request: placeholder('request'),
        status: 'running',
        createdAt: placeholder('receivedAt'),
        updatedAt: placeholder('at'),
      })
      .onConflictDoNothing({ target: [rounds.cid, rounds.roundid] });
  const insertRound = insertClaim().returning({ id: rounds.id }).prepare();
  // The same insert, also returning the conversation's answered turns before it, newest first: what
  // `selectTurns` reads for this round, as JSON arrays [id, question, show_question, msg_type, answer].
  // Qualified by hand: drizzle writes RETURNING's columns bare, which inside the subquery would name `earlier`'s.
  // The limit is written into the statement, one per limit (the app has one): bound as a parameter, it
  // made SQLite's statement twice as slow, about 0.25 ms more than the insert alone.
  const [earlier, inserted] = [sql.raw('earlier'), sql.identifier('rounds')];
  const prepareInsertReadingTurns = (limit: number) =>
    insertClaim()
      .returning({
        id: rounds.id,
        turns: sql<string>`(select json_group_array(json_array(id, question, show_question, msg_type, answer_text))
          from (select ${earlier}.id, ${earlier}.question, ${earlier}.show_question, ${earlier}.msg_type,
                       ${earlier}.answer_text
                from ${rounds} as ${earlier}
                where ${earlier}.cid = ${inserted}.cid and ${earlier}.created_at >= ${placeholder('since')}
                  and ${earlier}.id < ${inserted}.id and ${earlier}.status = 'succeeded'
                  and ${earlier}.input_type <> 'WELCOME'
                order by ${earlier}.id desc limit ${sql.raw(String(limit))}))`,
      })
      .prepare();
  const insertsReadingTurns = new Map<number, ReturnType<typeof prepareInsertReadingTurns>>();

  return {
    insertRound,
    insertReadingTurns(limit: number) {
      if (!Number.isSafeInteger(limit) || limit <= 0)
        throw new Error(`history limit ${limit} is not a positive integer`);
      let statement = insertsReadingTurns.get(limit);
      if (!statement) insertsReadingTurns.set(limit, (statement = prepareInsertReadingTurns(limit)));
      return statement;
    },
  };
}

// Every placeholder needs a value, so optional fields that are absent are bound as NULL.
export const optionalClaimFields = {
  companyid: null,
  robotid: null,
  showQuestion: null,
  robotModel: null,
  runtimeid: null,
  questionid: null,
};

/** The turns a claim read (newest first, as JSON), oldest first, as `recentTurns` returns them. */
export function turnsOf(json: string): ConversationTurn[] {
  const rows = JSON.parse(json) as Array<[number, string, string | null, string, string | null]>;
  return rows
    .sort((a, b) => a[0] - b[0])
    .map(([, question, showQuestion, msgType, answer]) => ({ question, showQuestion, msgType, answer: answer ?? '' }));
}
