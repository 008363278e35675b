import { and, eq } from 'drizzle-orm';
import { peerSessions } from '../store/schema.js';
import type { SqliteDatabase } from '../store/sqlite-database.js';

export interface PeerSession {
  session?: string | undefined;
  registered: boolean;
}

/** A peer platform's session per Sobot conversation, so later turns continue the same dialog there. */
export interface PeerSessionStore {
  get(cid: string, peer: string): Promise<PeerSession | undefined>;
  save(cid: string, peer: string, value: PeerSession, at: number): Promise<void>;
}

export function createDrizzlePeerSessionStore(db: SqliteDatabase): PeerSessionStore {
  return {
    async get(cid, peer) {
      const [row] = await db
        .select({ session: peerSessions.session, registered: peerSessions.registered })
        .from(peerSessions)
        .where(and(eq(peerSessions.cid, cid), eq(peerSessions.peer, peer)));
      return row && { session: row.session ?? undefined, registered: row.registered };
    },
    async save(cid, peer, value, at) {
      const values = { session: value.session ?? null, registered: value.registered, updatedAt: at };
      await db
        .insert(peerSessions)
        .values({ cid, peer, ...values })
        .onConflictDoUpdate({ target: [peerSessions.cid, peerSessions.peer], set: values });
    },
  };
}
