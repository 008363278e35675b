import type { StoredCallback } from '../store/callback-store.js';
import type { StoredRound } from '../store/round-store.js';
import type { CallbackStatus } from '../store/schema.js';
import type { AdminStore, ConversationSummary, StoredConversation } from './admin-store.js';
import { conversationCursor, type CallbackQuery, type ConversationQuery } from './admin-queries.js';
import { digest } from './digest.js';
import { readHealth, type Health, type HealthRange } from './health.js';

/**
 * What each live page shows, read the same way for the page and for its JSON route. `version` is a
 * digest of the data: a page polls its JSON route and reloads its live part only when the digest differs
 * from the one it was rendered with.
 */
export interface Versioned {
  version: string;
}

export interface ConversationList extends Versioned {
  conversations: ConversationSummary[];
  /** Cursor of the next, older page; null on the last page. */
  next: string | null;
}

export interface ConversationDetail extends Versioned {
  conversation: StoredConversation;
  rounds: StoredRound[];
}

export interface CallbackList extends Versioned {
  counts: Record<CallbackStatus, number>;
  callbacks: StoredCallback[];
}

/** Rounds of one conversation shown at most (the newest). */
const MAX_CONVERSATION_ROUNDS = 500;

export async function loadConversations(store: AdminStore, query: ConversationQuery): Promise<ConversationList> {
  const conversations = await store.conversations({
    cid: query.cid,
    robotid: query.robot,
    from: query.from,
    to: query.to,
    before: query.before,
    // One more than shown tells whether there is a next page.
    limit: query.limit + 1,
  });
  const shown = conversations.slice(0, query.limit);
  const last = shown.at(-1);
  const next = conversations.length > query.limit && last ? conversationCursor(last) : null;
  const changes = shown.map((row) => [row.cid, row.updatedAt, row.roundCount, row.lastStatus, row.failedRounds]);
  return { conversations: shown, next, version: digest(changes) };
}

export async function loadConversation(store: AdminStore, cid: string): Promise<ConversationDetail | undefined> {
  const found = await store.conversation(cid, MAX_CONVERSATION_ROUNDS);
  if (!found) return undefined;
  // A round's writes move its updated_at, except the first-byte time, written after its reply by the report alone.
  const changes = found.rounds.map((round) => [round.id, round.updatedAt, round.firstByteMs]);
  return { ...found, version: digest(changes) };
}

export async function loadCallbacks(store: AdminStore, query: CallbackQuery): Promise<CallbackList> {
  const [counts, callbacks] = await Promise.all([
    store.callbacks.counts(),
    store.callbacks.list({ status: query.status, limit: query.limit }),
  ]);
  const changes = callbacks.map((callback) => [callback.id, callback.status, callback.updatedAt]);
  return { counts, callbacks, version: digest({ counts, changes }) };
}

export async function loadHealth(store: AdminStore, range: HealthRange, now: number): Promise<Health & Versioned> {
  const health = await readHealth(store, range, now);
  return { ...health, version: digest(health) };
}
