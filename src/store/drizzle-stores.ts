import { createDrizzleAdminStore } from '../admin/drizzle-admin-store.js';
import { createDrizzleKnowledgeStore } from '../knowledge/drizzle-knowledge-store.js';
import { createDrizzleMetricsStore } from '../metrics/metrics-store.js';
import { createDrizzlePeerSessionStore } from '../peers/peer-session-store.js';
import { createDrizzleSessionStore } from '../workflows/drizzle-session-store.js';
import { createDrizzleCallbackStore, createDrizzleTokenStore } from './drizzle-callback-store.js';
import { createDrizzleRetentionStore } from './drizzle-retention-store.js';
import { createDrizzleRoundStore } from './drizzle-round-store.js';
import type { Logger } from '../runtime/logger.js';
import type { AtomicWrite, GroupedWrite, SqliteDatabase } from './sqlite-database.js';

/** Every store on one database, the same for better-sqlite3 (Node) and D1 (Workers). */
export function createDrizzleStores(db: SqliteDatabase, atomic: AtomicWrite, grouped: GroupedWrite, logger: Logger) {
  const callbacks = createDrizzleCallbackStore(db);
  return {
    rounds: createDrizzleRoundStore(db, atomic, grouped),
    callbacks,
    tokens: createDrizzleTokenStore(db),
    knowledge: createDrizzleKnowledgeStore(db, atomic),
    workflowSessions: createDrizzleSessionStore(db, logger),
    peerSessions: createDrizzlePeerSessionStore(db),
    admin: createDrizzleAdminStore(db, callbacks),
    metrics: createDrizzleMetricsStore(db),
    retention: createDrizzleRetentionStore(db),
  };
}
