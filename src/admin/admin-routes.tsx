import { Hono, type MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps } from '../app-deps.js';
import { ApiError, errorCodes } from '../http/api-error.js';
import { reportRefusal } from '../http/error-handler.js';
import { limitBody } from '../http/body-limit.js';
import { createAdminApi } from './admin-api.js';
import { createAdminAuth, safeNext, scriptToken } from './admin-auth.js';
import { createAdminPages } from './admin-pages.js';
import type { AdminStore } from './admin-store.js';
import { assets } from './assets/asset-paths.js';
import { LoginPage } from './pages/login-page.js';
import { ownEntry } from '../util/own-entry.js';

// A token and a return path; a browser's form is a few hundred bytes.
const MAX_LOGIN_FORM_BYTES = 8 * 1024;

/**
 * The admin console under /admin: login, pages and the JSON API, behind ADMIN_TOKEN. Its script and
 * stylesheet come from the app itself, and the content security policy allows nothing else to run.
 */
export function createAdminRoutes(deps: AppDeps, store: AdminStore, token: string): Hono {
  const admin = new Hono();
  const auth = createAdminAuth(token, deps.clock);

  admin.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // Card thumbnails and visitors' images are on other servers.
        imgSrc: ["'self'", 'data:', 'https:', 'http:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    }),
    noStore,
    refuseCrossSiteForms,
  );

  admin.get('/assets/:name', (c) => {
    const asset = ownEntry(assets, c.req.param('name'));
    if (!asset) return c.notFound();
    // The pages link to content-versioned URLs, so those never change.
    const cache = c.req.query('v') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': cache });
  });

  admin.get('/login', async (c) => {
    const next = safeNext(c.req.query('next'));
    if (await auth.isAuthenticated(c)) return c.redirect(next, 303);
    return c.html(<LoginPage next={next} failed={false} />);
  });

  // Read before anyone is known: without a limit, one large form would be buffered whole and could exhaust memory.
  const loginFormLimit = limitBody(MAX_LOGIN_FORM_BYTES, `login form over ${MAX_LOGIN_FORM_BYTES} bytes`);
  admin.post('/login', loginFormLimit, async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
    if (typeof form.token !== 'string' || !(await auth.isToken(form.token))) {
      // Logged and counted as every 4xx is, so that someone guessing the token shows in the metrics.
      const { status, code } = errorCodes.unauthorized;
      reportRefusal(deps, c, status, code, 'admin login refused: wrong token');
      return c.html(<LoginPage next={next} failed />, status);
    }
    await auth.startSession(c);
    deps.logger.info('admin logged in', { requestId: c.get('requestId') });
    return c.redirect(next, 303);
  });

  admin.post('/logout', (c) => {
    auth.endSession(c);
    return c.redirect('/admin/login', 303);
  });

  admin.use('/api/*', auth.requireForApi);
  admin.route('/api', createAdminApi(deps, store));
  admin.use('*', auth.requireForPage);
  admin.route('/', createAdminPages(deps, store));
  return admin;
}

const sameOriginOnly = csrf();

/**
 * Form posts (log in, log out) must come from the console's own pages; the session cookie is
 * SameSite=Strict as well, so a foreign page can neither log a browser in or out nor act for it.
 * A script's call with the Bearer token is no such post: hono's check would refuse one sent without a
 * Content-Type (it takes that for a form), and a foreign page cannot make a browser send the header.
 */
const refuseCrossSiteForms: MiddlewareHandler = async (c, next) => {
  if (scriptToken(c) !== undefined) return next();
  // hono's check throws a bare 403; it runs alone here so that only its refusal becomes this error.
  let allowed = false;
  try {
    await sameOriginOnly(c, async () => {
      allowed = true;
    });
  } catch (error) {
    if (!allowed) throw new ApiError('forbidden', 'cross-site form posts to the admin console are refused');
    throw error;
  }
  await next();
};

/** Pages and API answers show conversations: no cache, shared or private, may keep them. */
const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
};
