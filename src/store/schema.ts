import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { KnowledgeRef } from '../knowledge/knowledge-entry.js';
import type { ThirdAlgorithmResponseItem } from '../sobot/schemas/response.js';

// Times are Unix milliseconds: D1 and better-sqlite3 agree on integers, not on date types.

/** One Sobot conversation (`ai_agent_cid`), refreshed by every round. */
export const conversations = sqliteTable(
  'conversations',
  {
    cid: text('cid').primaryKey(),
    robotid: text('robotid'),
    companyid: text('companyid'),
    partnerid: text('partnerid'),
    sourceEnum: text('source_enum'),
    roundCount: integer('round_count').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  // The admin console lists conversations newest first.
  (table) => [index('conversations_updated_idx').on(table.updatedAt)],
);

export const roundStatuses = ['running', 'succeeded', 'unanswered', 'failed', 'aborted'] as const;
export type RoundStatus = (typeof roundStatuses)[number];

/** One visitor message and the answer it got, unique by (cid, roundid) so retries replay it. */
export const rounds = sqliteTable(
  'rounds',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    cid: text('cid').notNull(),
    roundid: text('roundid').notNull(),
    companyid: text('companyid'),
    robotid: text('robotid'),
    question: text('question').notNull(),
    showQuestion: text('show_question'),
    inputType: text('input_type').notNull(),
    msgType: text('msg_type').notNull(),
    robotModel: text('robot_model'),
    isTest: integer('is_test', { mode: 'boolean' }).notNull().default(false),
    reqStream: integer('req_stream', { mode: 'boolean' }).notNull().default(false),
    copilot: integer('copilot', { mode: 'boolean' }).notNull().default(false),
    runtimeid: text('runtimeid'),
    questionid: text('questionid'),
    request: text('request'),
    status: text('status', { enum: roundStatuses }).notNull(),
    attempt: integer('attempt').notNull().default(1),
    answerSource: text('answer_source'),
    answerText: text('answer_text'),
    answerType: text('answer_type'),
    lan: text('lan'),
    success: integer('success', { mode: 'boolean' }),
    items: text('items', { mode: 'json' }).$type<ThirdAlgorithmResponseItem[]>(),
    // Knowledge entries and passages the answer drew on (or suggested), for admins and batch reports.
    sources: text('sources', { mode: 'json' }).$type<KnowledgeRef[]>(),
    // The hand-over summary when the round handed the visitor to a human agent.
    handover: text('handover', { mode: 'json' }).$type<unknown>(),
    // What peer platforms returned (size-capped), since parts of their APIs are undocumented.
    peerRaw: text('peer_raw'),
    error: text('error'),
    model: text('model'),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    totalTokens: integer('total_tokens'),
    // Timings in ms from `created_at` (when the request was received): first model token, first byte
    // written to Sobot, and done; together they explain a slow round.
    firstTokenMs: integer('first_token_ms'),
    firstByteMs: integer('first_byte_ms'),
    latencyMs: integer('latency_ms'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    completedAt: integer('completed_at'),
  },
  (table) => [
    uniqueIndex('rounds_cid_roundid_unique').on(table.cid, table.roundid),
    // A conversation's rounds in id order (SQLite puts the rowid after an index's columns): the history
    // read walks it backwards from the round being answered, with no sort.
    index('rounds_cid_idx').on(table.cid),
    // Finds unfinished rounds (running, aborted) among the many finished ones.
    index('rounds_status_updated_idx').on(table.status, table.updatedAt),
    // The admin console's health charts read rounds by time, its batch pages by run.
    index('rounds_created_idx').on(table.createdAt),
    index('rounds_runtimeid_idx').on(table.runtimeid),
  ],
);

export type RoundRow = typeof rounds.$inferSelect;

export const callbackKinds = ['copilot', 'batch'] as const;
export type CallbackKind = (typeof callbackKinds)[number];
export const callbackStatuses = ['pending', 'delivered', 'dead'] as const;
export type CallbackStatus = (typeof callbackStatuses)[number];

/**
 * The callback outbox: written in the same write that completes its round, then delivered with
 * retries. Unique per (round, kind), so a round can never queue the same callback twice.
 */
export const callbacks = sqliteTable(
  'callbacks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    cid: text('cid').notNull(),
    roundid: text('roundid').notNull(),
    kind: text('kind', { enum: callbackKinds }).notNull(),
    payload: text('payload').notNull(),
    status: text('status', { enum: callbackStatuses }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    // A deliverer owns the callback until then; another process may take it over after.
    leaseUntil: integer('lease_until'),
    lastError: text('last_error'),
    lastHttpStatus: integer('last_http_status'),
    createdAt: integer('created_at').notNull(),
    // Age limits count from here: creation, or an operator's retry.
    queuedAt: integer('queued_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    deliveredAt: integer('delivered_at'),
  },
  (table) => [
    uniqueIndex('callbacks_round_kind_unique').on(table.roundId, table.kind),
    index('callbacks_due_idx').on(table.status, table.nextAttemptAt),
    // Retention deletes finished callbacks by age.
    index('callbacks_created_idx').on(table.createdAt),
  ],
);

export type CallbackRow = typeof callbacks.$inferSelect;

/** Sobot open-platform tokens, shared by every process and instance on this database. */
export const sobotTokens = sqliteTable('sobot_tokens', {
  appid: text('appid').primaryKey(),
  token: text('token').notNull(),
  expiresAt: integer('expires_at').notNull(),
  fetchedAt: integer('fetched_at').notNull(),
});

/** Knowledge files as last indexed; a changed hash means the file's entries are replaced. */
export const knowledgeFiles = sqliteTable('knowledge_files', {
  path: text('path').primaryKey(),
  hash: text('hash').notNull(),
  entryCount: integer('entry_count').notNull(),
  indexedAt: integer('indexed_at').notNull(),
});

export const knowledgeKinds = ['faq', 'passage'] as const;
export type KnowledgeKind = (typeof knowledgeKinds)[number];

/**
 * FAQ entries and document passages, with their search terms. The FTS5 table `knowledge_fts` indexes
 * those terms as an external-content table kept in step by triggers (a hand-written migration: drizzle
 * does not model virtual tables), so writers only ever insert and delete rows here.
 */
export const knowledgeEntries = sqliteTable(
  'knowledge_entries',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    kind: text('kind', { enum: knowledgeKinds }).notNull(),
    source: text('source').notNull(),
    title: text('title').notNull(),
    similar: text('similar', { mode: 'json' }).$type<string[]>().notNull(),
    body: text('body').notNull(),
    titleTerms: text('title_terms').notNull(),
    bodyTerms: text('body_terms').notNull(),
  },
  (table) => [
    uniqueIndex('knowledge_entries_id_unique').on(table.id),
    index('knowledge_entries_source_idx').on(table.source),
  ],
);

/** Synonym groups from `synonyms.yaml` files: a question using one phrase also searches for the others. */
export const knowledgeSynonyms = sqliteTable('knowledge_synonyms', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  source: text('source').notNull(),
  phrases: text('phrases', { mode: 'json' }).$type<string[]>().notNull(),
});

/**
 * Where each conversation stands in a workflow: node, variables, and the offer it is waiting on (buttons,
 * cards or a free-text answer), which every click is checked against. Forgotten after `expires_at`.
 */
export const workflowSessions = sqliteTable(
  'workflow_sessions',
  {
    cid: text('cid').primaryKey(),
    workflowId: text('workflow_id').notNull(),
    nodeId: text('node_id').notNull(),
    variables: text('variables', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    pending: text('pending', { mode: 'json' }).$type<unknown>(),
    startedAt: integer('started_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  // Retention deletes the expired ones.
  (table) => [index('workflow_sessions_expires_idx').on(table.expiresAt)],
);

/**
 * A peer platform's own session for a Sobot conversation: tate-a-tate's `conversationId`, CybotStar's
 * `segment_code`, and whether the visitor was registered with Laiye.
 */
export const peerSessions = sqliteTable(
  'peer_sessions',
  {
    cid: text('cid').notNull(),
    peer: text('peer').notNull(),
    session: text('session'),
    registered: integer('registered', { mode: 'boolean' }).notNull().default(false),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('peer_sessions_cid_peer_unique').on(table.cid, table.peer),
    // Retention deletes the ones no round has used for RETENTION_DAYS.
    index('peer_sessions_updated_idx').on(table.updatedAt),
  ],
);

/**
 * Batch-test reports uploaded by the operator CLI (`sobot-bridge batch --admin-token`), scored against
 * expected answers the bridge itself never sees; Sobot's own batch runs are grouped from `rounds.runtimeid`.
 */
export const batchReports = sqliteTable('batch_reports', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  runtimeid: text('runtimeid').notNull().unique(),
  targetUrl: text('target_url').notNull(),
  total: integer('total').notNull(),
  passed: integer('passed').notNull(),
  startedAt: integer('started_at').notNull(),
  finishedAt: integer('finished_at').notNull(),
  report: text('report', { mode: 'json' }).$type<unknown>().notNull(),
  receivedAt: integer('received_at').notNull(),
});
