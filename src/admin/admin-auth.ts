import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { timingSafeEqual } from 'hono/utils/buffer';
import { ApiError } from '../http/api-error.js';
import { bearerToken } from '../http/token-auth.js';
import type { Clock } from '../runtime/clock.js';

const SESSION_COOKIE = 'bridge_admin';
const SESSION_SECONDS = 12 * 60 * 60;
const COOKIE_PATH = '/admin';

/**
 * The console's one credential is ADMIN_TOKEN. A browser logs in with it once and then carries a session
 * cookie: HttpOnly, SameSite=Strict, holding only when it was issued, signed (HMAC) with the token itself,
 * so changing the token ends every session. Scripts send the token as `Authorization: Bearer` instead.
 */
export interface AdminAuth {
  /** The presented token, compared in constant time. */
  isToken(presented: string): Promise<boolean>;
  isAuthenticated(c: Context): Promise<boolean>;
  startSession(c: Context): Promise<void>;
  endSession(c: Context): void;
  /** For the JSON API: 401 in the envelope without a session or token. */
  requireForApi: MiddlewareHandler;
  /** For pages: a redirect to the login page, which comes back here afterwards. */
  requireForPage: MiddlewareHandler;
}

export function createAdminAuth(token: string, clock: Clock): AdminAuth {
  const isToken = (presented: string) => timingSafeEqual(presented, token);

  const hasSession = async (c: Context) => {
    // Undefined without the cookie, false when its signature is wrong.
    const value = await getSignedCookie(c, token, SESSION_COOKIE);
    if (typeof value !== 'string') return false;
    // The cookie's Max-Age is the browser's business; the signed issue time is what the server trusts.
    const issuedAt = Number(value);
    const now = clock.now();
    return Number.isFinite(issuedAt) && issuedAt <= now && now - issuedAt < SESSION_SECONDS * 1000;
  };

  const isAuthenticated = async (c: Context) => {
    const bearer = scriptToken(c);
    if (bearer !== undefined) return isToken(bearer);
    return hasSession(c);
  };

  return {
    isToken,
    isAuthenticated,
    async startSession(c) {
      await setSignedCookie(c, SESSION_COOKIE, String(clock.now()), token, {
        path: COOKIE_PATH,
        httpOnly: true,
        sameSite: 'Strict',
        secure: isHttps(c),
        maxAge: SESSION_SECONDS,
      });
    },
    endSession(c) {
      deleteCookie(c, SESSION_COOKIE, { path: COOKIE_PATH, secure: isHttps(c) });
    },
    async requireForApi(c, next) {
      if (!(await isAuthenticated(c))) {
        throw new ApiError('unauthorized', 'admin API: log in, or send Authorization: Bearer <ADMIN_TOKEN>');
      }
      await next();
    },
    async requireForPage(c, next) {
      if (!(await isAuthenticated(c))) {
        const url = new URL(c.req.url);
        return c.redirect(`/admin/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
      }
      await next();
    },
  };
}

/**
 * The token a script sent as `Authorization: Bearer`. A request that carries one is judged by it alone,
 * never by a session cookie: a browser does not add this header to a request another site makes it send.
 */
export const scriptToken = (c: Context) => bearerToken(c.req.header('authorization'));

/** Behind a TLS-terminating proxy the request itself is plain HTTP; the proxy says what the browser used. */
function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

/** Where to go after logging in: a console path only, never another site. */
export function safeNext(next: string | undefined): string {
  return next && /^\/admin(\/|\?|$)/.test(next) && !next.startsWith('//') ? next : '/admin';
}
