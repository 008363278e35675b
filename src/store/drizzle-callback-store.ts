import { and, asc, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { CallbackStore, TokenStore } from './callback-store.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { callbacks, callbackStatuses, sobotTokens } from './schema.js';

const placeholder = sql.placeholder;

export function createDrizzleCallbackStore(db: SqliteDatabase): CallbackStore {
  const leaseFree = (now: unknown) => or(isNull(callbacks.leaseUntil), lt(callbacks.leaseUntil, now as number));

  const selectDue = db
    .select()
    .from(callbacks)
    .where(
      and(
        eq(callbacks.status, 'pending'),
        lte(callbacks.nextAttemptAt, placeholder('now')),
        leaseFree(placeholder('now')),
      ),
    )
    .orderBy(asc(callbacks.nextAttemptAt), asc(callbacks.id))
    .limit(placeholder('limit'))
    .prepare();

  // Compare-and-set: only one deliverer wins a callback for a given attempt.
  const leaseCallback = db
    .update(callbacks)
    .set({
      leaseUntil: sql`${placeholder('leaseUntil')}`,
      attempts: sql`${callbacks.attempts} + 1`,
      updatedAt: sql`${placeholder('now')}`,
    })
    .where(
      and(
        eq(callbacks.id, placeholder('id')),
        eq(callbacks.status, 'pending'),
        lte(callbacks.nextAttemptAt, placeholder('now')),
        leaseFree(placeholder('now')),
      ),
    )
    .returning()
    .prepare();

  return {
    async due(now, limit) {
      return await selectDue.all({ now, limit });
    },

    async nextDueAt() {
      const [row] = await db
        // A leased callback is not due before its lease runs out, whatever its next attempt time says.
        .select({ at: sql<number | null>`min(max(${callbacks.nextAttemptAt}, coalesce(${callbacks.leaseUntil}, 0)))` })
        .from(callbacks)
        .where(eq(callbacks.status, 'pending'));
      return row?.at ?? undefined;
    },

    async lease(id, now, leaseUntil) {
      return await leaseCallback.get({ id, now, leaseUntil });
    },

    async markDelivered(id, at, httpStatus) {
      await db
        .update(callbacks)
        .set({
          status: 'delivered',
          deliveredAt: at,
          updatedAt: at,
          leaseUntil: null,
          lastError: null,
          lastHttpStatus: httpStatus,
        })
        .where(eq(callbacks.id, id));
    },

    async scheduleRetry(id, failure, nextAttemptAt) {
      await db
        .update(callbacks)
        .set({
          nextAttemptAt,
          leaseUntil: null,
          lastError: failure.error,
          lastHttpStatus: failure.httpStatus ?? null,
          updatedAt: failure.at,
        })
        .where(eq(callbacks.id, id));
    },

    async markDead(id, failure) {
      await db
        .update(callbacks)
        .set({
          status: 'dead',
          leaseUntil: null,
          lastError: failure.error,
          lastHttpStatus: failure.httpStatus ?? null,
          updatedAt: failure.at,
        })
        .where(eq(callbacks.id, id));
    },

    async list({ status, limit }) {
      return await db
        .select()
        .from(callbacks)
        .where(status ? eq(callbacks.status, status) : undefined)
        .orderBy(sql`${callbacks.id} desc`)
        .limit(limit);
    },

    async counts() {
      const rows = await db
        .select({ status: callbacks.status, count: sql<number>`count(*)` })
        .from(callbacks)
        .groupBy(callbacks.status);
      const counts = Object.fromEntries(callbackStatuses.map((status) => [status, 0])) as Record<
        (typeof callbackStatuses)[number],
        number
      >;
      for (const row of rows) counts[row.status] = row.count;
      return counts;
    },

    async requeue(id, now) {
      const rows = await db
        .update(callbacks)
        .set(requeued(now))
        // A pending callback under a live lease is being sent right now: clearing the lease would let another
        // deliverer send it a second time beside that attempt.
        .where(
          and(
            eq(callbacks.id, id),
            or(eq(callbacks.status, 'dead'), and(eq(callbacks.status, 'pending'), leaseFree(now))),
          ),
        )
        .returning({ id: callbacks.id });
      return rows.length > 0;
    },

    async requeueDead(now) {
      const rows = await db
        .update(callbacks)
        .set(requeued(now))
        .where(eq(callbacks.status, 'dead'))
        .returning({ id: callbacks.id });
      return rows.length;
    },
  };
}

function requeued(now: number) {
  return {
    status: 'pending' as const,
    attempts: 0,
    nextAttemptAt: now,
    queuedAt: now,
    leaseUntil: null,
    updatedAt: now,
  };
}

export function createDrizzleTokenStore(db: SqliteDatabase): TokenStore {
  return {
    async get(appid) {
      const [row] = await db
        .select({ token: sobotTokens.token, expiresAt: sobotTokens.expiresAt })
        .from(sobotTokens)
        .where(eq(sobotTokens.appid, appid));
      return row;
    },

    async save(appid, token, fetchedAt) {
      await db
        .insert(sobotTokens)
        .values({ appid, token: token.token, expiresAt: token.expiresAt, fetchedAt })
        .onConflictDoUpdate({
          target: sobotTokens.appid,
          set: { token: token.token, expiresAt: token.expiresAt, fetchedAt },
        });
    },

    async discard(appid, token) {
      await db.delete(sobotTokens).where(and(eq(sobotTokens.appid, appid), eq(sobotTokens.token, token)));
    },
  };
}
