import { createHash } from 'node:crypto';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import type { CachedToken, TokenStore } from '../store/callback-store.js';
import { parseJsonOrUndefined } from '../util/parse-json.js';
import { SUCCESS_CODE } from './schemas/response.js';
import { tokenResponseSchema } from './schemas/open-platform.js';

export interface SobotCredentials {
  appid: string;
  appKey: string;
}

export interface SobotTokenProvider {
  /** A valid token: from memory, the database, or Sobot, refreshed before it expires. */
  token(): Promise<string>;
  /** Sobot rejected `token`: forget it so the next `token()` fetches a new one. */
  invalidate(token: string): Promise<void>;
}

export interface TokenProviderOptions {
  credentials: SobotCredentials;
  tokenUrl: string;
  store: TokenStore;
  fetch: typeof fetch;
  clock: Clock;
  logger: Logger;
  timeoutMs: number;
}

/** "sign = md5(appid + create_time + app_key)", lower-case hex. */
export function sobotSign(appid: string, createTime: string, appKey: string): string {
  return createHash('md5')
    .update(appid + createTime + appKey)
    .digest('hex');
}

// The document's tokens live 86,400 s; refreshing this much early keeps calls off the edge.
const REFRESH_MARGIN_MS = 5 * 60_000;
const DEFAULT_LIFETIME_S = 86_400;

/**
 * Sobot asks integrators to share one token across calls ("instead of refreshing and obtaining new tokens
 * for each business. Otherwise, it will easily lead to token invalidation"), so fetches are single-flight
 * here and the token is cached in the database for other processes.
 */
export function createSobotTokenProvider(options: TokenProviderOptions): SobotTokenProvider {
  const { credentials, store, clock } = options;
  let cached: CachedToken | undefined;
  let fetching: Promise<string> | undefined;
  const fresh = (candidate: typeof cached) => candidate && candidate.expiresAt - REFRESH_MARGIN_MS > clock.now();

  async function fetchToken(): Promise<string> {
    // Another process may have refreshed it meanwhile; taking theirs avoids invalidating it.
    const stored = await store.get(credentials.appid);
    if (fresh(stored)) return (cached = stored)!.token;

    const createTime = String(Math.floor(clock.now() / 1000));
    const url = new URL(options.tokenUrl);
    url.searchParams.set('appid', credentials.appid);
    url.searchParams.set('create_time', createTime);
    url.searchParams.set('sign', sobotSign(credentials.appid, createTime, credentials.appKey));
    const response = await options.fetch(url, {
      signal: AbortSignal.timeout(options.timeoutMs),
      // Not followed: the sign would go wherever it points, and its token would be taken for Sobot's.
      redirect: 'manual',
    });
    const text = await response.text();
    const parsed = tokenResponseSchema.safeParse(parseJsonOrUndefined(text));
    if (!response.ok || !parsed.success || parsed.data.ret_code !== SUCCESS_CODE || !parsed.data.item) {
      const reason = parsed.success
        ? `${parsed.data.ret_code ?? '?'} ${parsed.data.ret_msg ?? ''}`.trim()
        : text.slice(0, 200);
      throw new Error(`Sobot token request failed (HTTP ${response.status}): ${reason}`);
    }
    const fetchedAt = clock.now();
    const token = {
      token: parsed.data.item.token,
      expiresAt: fetchedAt + (parsed.data.item.expires_in ?? DEFAULT_LIFETIME_S) * 1000,
    };
    await store.save(credentials.appid, token, fetchedAt);
    options.logger.info('sobot token fetched', {
      appid: credentials.appid,
      expiresAt: new Date(token.expiresAt).toISOString(),
    });
    cached = token;
    return token.token;
  }

  return {
    async token() {
      if (fresh(cached)) return cached!.token;
      fetching ??= fetchToken().finally(() => {
        fetching = undefined;
      });
      return fetching;
    },
    async invalidate(token) {
      if (cached?.token === token) cached = undefined;
      await store.discard(credentials.appid, token);
    },
  };
}
