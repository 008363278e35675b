import BetterSqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { envelopeSchema } from '../src/sobot/schemas/response.js';
import { ADMIN_TOKEN, adminFetch, adminJson, batchReport, logIn } from './helpers/admin.js';
import { manualClock, round, type Bridge } from './helpers/bridge.js';
import { scrape } from './helpers/scrape-metrics.js';
import { useFakeSobot } from './helpers/sobot-harness.js';
import { useTestHarness } from './helpers/test-harness.js';

const harness = useTestHarness();
const fakeSobot = useFakeSobot(harness);
const adminEnv = (extra: Record<string, string> = {}) =>
  fakeSobot.env({ ADMIN_TOKEN, OPENAI_MAX_RETRIES: '0', FALLBACK_TEXT: 'Sorry, no answer.', ...extra });

async function errorOf(response: Response) {
  return { status: response.status, body: envelopeSchema.parse(await response.json()) };
}

describe('enabling and authentication', () => {
  it('serves nothing under /admin without ADMIN_TOKEN', async () => {
    const bridge = await harness.start({ env: harness.llmEnv() });
    for (const path of ['/admin', '/admin/login', '/admin/api/health', '/admin/assets/admin.css']) {
      const response = await adminFetch(bridge, path);
      expect(response.status, path).toBe(404);
    }
  });

  it('refuses a token too short to resist guessing', () => {
    expect(() => parseConfig({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN: must be at least 16 characters/);
  });

  it('answers the API only with the token, in the envelope otherwise', async () => {
    const bridge = await harness.start({ env: adminEnv() });
    expect(await errorOf(await adminFetch(bridge, '/admin/api/health', { token: null }))).toMatchObject({
      status: 401,
      body: { ret_code: '401000' },
    });
    expect((await adminFetch(bridge, '/admin/api/health', { token: 'wrong-token-wrong-token' })).status).toBe(401);
    expect((await adminFetch(bridge, '/admin/api/health')).status).toBe(200);
  });

  it('sends a browser without a session to the login page, and back after logging in', async () => {
    const bridge = await harness.start({ env: adminEnv() });
    const page = await adminFetch(bridge, '/admin/callbacks?status=dead', { token: null });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fcallbacks%3Fstatus%3Ddead');

    const login = (token: string, next = '/admin/callbacks?status=dead') =>
      adminFetch(bridge, '/admin/login', {
        token: null,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: bridge.url },
        body: new URLSearchParams({ token, next }).toString(),
      });
    const refused = await login('not-the-admin-token');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect(await refused.text()).toContain('That is not the admin token.');
    // Counted as every refusal is: guessing at the token shows in the metrics.
    expect((await scrape(bridge)).get('sobot_bridge_requests_refused_total{route="admin",code="401000"}')).toBe(1);

    const accepted = await login(ADMIN_TOKEN);
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe('/admin/callbacks?status=dead');
    const setCookie = accepted.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^bridge_admin=[^;]+;/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/admin/);
    expect(setCookie).not.toContain(ADMIN_TOKEN);
    const cookie = setCookie.split(';')[0]!;

    const withCookie = (value: string) =>
      adminFetch(bridge, '/admin/api/health', { token: null, headers: { cookie: value } });
    expect((await withCookie(cookie)).status).toBe(200);
    expect((await adminFetch(bridge, '/admin/callbacks', { token: null, headers: { cookie } })).status).toBe(200);
    // The issue time is signed: changing it (to extend the session) breaks the signature.
    const [name, value] = cookie.split('=') as [string, string];
    const forged = `${name}=${encodeURIComponent(`${Date.now() + 1}${decodeURIComponent(value).slice(13)}`)}`;
    expect((await withCookie(forged)).status).toBe(401);

    // An off-site redirect target is ignored.
    expect((await login(ADMIN_TOKEN, 'https://evil.example/')).headers.get('location')).toBe('/admin');

    const logout = await adminFetch(bridge, '/admin/logout', {
      token: null,
      method: 'POST',
      headers: { cookie, origin: bridge.url, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(logout.status).toBe(303);
    expect(logout.headers.get('set-cookie')).toMatch(/bridge_admin=;.*Max-Age=0/);
  });

  it('expires a session after 12 hours, whatever the browser keeps', async () => {
    const clock = manualClock();
    const bridge = await harness.start({ env: adminEnv(), clock });
    const cookie = await logIn(bridge);
    const health = () => adminFetch(bridge, '/admin/api/health', { token: null, headers: { cookie } });
    expect((await health()).status).toBe(200);
    clock.advance(12 * 60 * 60 * 1000);
    expect((await health()).status).toBe(401);
  });

  it('refuses a login form too large to be one before reading it, and knows no asset named after a builtin', async () => {
    const bridge = await harness.start({ env: adminEnv() });
    const response = await adminFetch(bridge, '/admin/login', {
      token: null,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: bridge.url },
      body: new URLSearchParams({ token: ADMIN_TOKEN, padding: 'x'.repeat(9 * 1024) }).toString(),
    });
    expect(await errorOf(response)).toMatchObject({ status: 413, body: { ret_code: '413000' } });
    expect(response.headers.get('set-cookie')).toBeNull();
    for (const name of ['constructor', '__proto__', 'toString']) {
      expect((await adminFetch(bridge, `/admin/assets/${name}`, { token: null })).status).toBe(404);
    }
  });

  it('refuses a form posted from another site', async () => {
    const bridge = await harness.start({ env: adminEnv() });
    const response = await adminFetch(bridge, '/admin/login', {
      token: null,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
    });
    expect(await errorOf(response)).toMatchObject({
      status: 403,
      body: { ret_msg: expect.stringContaining('cross-site') },
    });
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it("takes a script's POST with the Bearer token whatever its Content-Type; a cookie's cross-site form stays refused", async () => {
    const bridge = await harness.start({ env: adminEnv() });
    // curl and fetch send no Content-Type without a body, text/plain with a string: hono's check takes both for forms.
    const bare = await adminFetch(bridge, '/admin/api/callbacks/retry-dead', { method: 'POST' });
    expect(bare.status).toBe(200);
    expect(await bare.json()).toEqual({ requeued: 0 });
    const text = await adminFetch(bridge, '/admin/api/batch-reports', {
      method: 'POST',
      body: JSON.stringify(batchReport()),
    });
    expect(text.status).toBe(201);
    const wrong = await adminFetch(bridge, '/admin/api/callbacks/retry-dead', {
      method: 'POST',
      token: 'wrong-token-wrong-token',
    });
    expect(await errorOf(wrong)).toMatchObject({ status: 401, body: { ret_code: '401000' } });

    const cookie = await logIn(bridge);
    const forged = await adminFetch(bridge, '/admin/api/callbacks/retry-dead', {
      token: null,
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(await errorOf(forged)).toMatchObject({ status: 403, body: { ret_code: '403000' } });
    const bareWithCookie = await adminFetch(bridge, '/admin/api/callbacks/retry-dead', {
      token: null,
      method: 'POST',
      headers: { cookie },
    });
    expect(bareWithCookie.status).toBe(403);
  });

  it('sends pages with a script policy that allows only its own files, and never lets them be cached', async () => {
    const bridge = await harness.start({ env: adminEnv() });
    const page = await adminFetch(bridge, '/admin');
    expect(page.headers.get('content-security-policy')).toMatch(/(^|;\s*)script-src 'self'(;|$)/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    const script = html.match(/src="(\/admin\/assets\/admin\.js\?v=[0-9a-f]+)"/)?.[1];
    expect(script).toBeDefined();
    const asset = await adminFetch(bridge, script!, { token: null });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });
});

describe('conversations', () => {
  async function twoConversations(bridge: Bridge, clock: ReturnType<typeof manualClock>) {
    const early = round({ robotid: 'robot-a', ai_agent_cid: 'shop-early-1' });
    await bridge.ask(early);
    clock.advance(2 * 60 * 60 * 1000);
    const late = round({ robotid: 'robot-b', ai_agent_cid: 'shop-late-2', question: 'Where is my parcel?' });
    await bridge.ask(late);
    return { early, late };
  }

  it('lists newest first and filters by id, robot and time, with a cursor for older pages', async () => {
    const clock = manualClock();
    const bridge = await harness.start({ env: adminEnv(), clock });
    const start = clock.now();
    await twoConversations(bridge, clock);
    type List = { conversations: Array<{ cid: string; robotid: string; lastQuestion: string }>; next: string | null };
    const cids = async (query: string) =>
      (await adminJson<List>(bridge, `/admin/api/conversations${query}`)).conversations.map((c) => c.cid);

    expect(await cids('')).toEqual(['shop-late-2', 'shop-early-1']);
    expect(await cids('?cid=late')).toEqual(['shop-late-2']);
    expect(await cids('?cid=%25')).toEqual([]); // a literal %, not a wildcard
    expect(await cids('?robot=robot-a')).toEqual(['shop-early-1']);
    const hourIn = new Date(start + 60 * 60 * 1000).toISOString();
    expect(await cids(`?from=${encodeURIComponent(hourIn)}`)).toEqual(['shop-late-2']);
    expect(await cids(`?to=${start + 60 * 60 * 1000}`)).toEqual(['shop-early-1']);

    const first = await adminJson<List>(bridge, '/admin/api/conversations?limit=1');
    expect(first.conversations[0]).toMatchObject({
      cid: 'shop-late-2',
      robotid: 'robot-b',
      lastQuestion: 'Where is my parcel?',
    });
    // Each row's latest round is its own, not the newest of all.
    expect((await adminJson<List>(bridge, '/admin/api/conversations?cid=early')).conversations[0]).toMatchObject({
      lastQuestion: 'How long does shipping take?',
      lastStatus: 'succeeded',
      failedRounds: 0,
    });
    expect(first.next).not.toBeNull();
    const second = await adminJson<List>(
      bridge,
      `/admin/api/conversations?limit=1&before=${encodeURIComponent(first.next!)}`,
    );
    expect(second.conversations.map((c) => c.cid)).toEqual(['shop-early-1']);
    expect(second.next).toBeNull();

    expect(await errorOf(await adminFetch(bridge, '/admin/api/conversations?from=yesterday'))).toMatchObject({
      status: 400,
      body: { ret_msg: expect.stringContaining('from: must be Unix milliseconds or an ISO 8601 date') },
    });
  });

  it('answers 304 to a poll until something shown changes', async () => {
    const bridge = await harness.start({ env: adminEnv() });
    await bridge.ask(round({ ai_agent_cid: 'poll-1' }));
    const first = await adminFetch(bridge, '/admin/api/conversations');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{8}"$/);
    const unchanged = await adminFetch(bridge, '/admin/api/conversations', { headers: { 'if-none-match': etag } });
    expect(unchanged.status).toBe(304);
    await bridge.ask(round({ ai_agent_cid: 'poll-2' }));
    const changed = await adminFetch(bridge, '/admin/api/conversations', { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it("answers a conversation's poll anew once a round's first-byte time is written, after its reply", async () => {
    const bridge = await harness.start({ env: adminEnv() });
    const body = round({ ai_agent_cid: 'poll-first-byte' });
    await bridge.ask(body);
    const path = '/admin/api/conversations/poll-first-byte';
    const etag = (await adminFetch(bridge, path)).headers.get('etag')!;
    // The report writes the time on its own, as it does when the round's reply went out; updated_at stays.
    const sqlite = new BetterSqlite(bridge.databasePath);
    try {
      sqlite.prepare('update rounds set first_byte_ms = 12345 where roundid = ?').run(body.roundid);
    } finally {
      sqlite.close();
    }
    const polled = await adminFetch(bridge, path, { headers: { 'if-none-match': etag } });
    expect(polled.status).toBe(200);
  });

  it('returns a conversation with every round as stored, and 404 for an unknown one', async () => {
    const bridge = await harness.start({ env: adminEnv() });
    harness.llm.script({ kind: 'stream', chunks: ['Hello ', 'there'] }, { kind: 'status', status: 500 });
    const cid = 'detail-1';
    await bridge.ask(round({ ai_agent_cid: cid, roundid: 'a', question: 'Hi' }));
    await bridge.ask(round({ ai_agent_cid: cid, roundid: 'b', question: 'Again' }));
    const detail = await adminJson<{
      conversation: { cid: string; roundCount: number };
      rounds: Array<Record<string, unknown>>;
    }>(bridge, `/admin/api/conversations/${cid}`);
    expect(detail.conversation).toMatchObject({ cid, roundCount: 2 });
    expect(detail.rounds.map((r) => [r.roundid, r.status, r.answerText])).toEqual([
      ['a', 'succeeded', 'Hello there'],
      ['b', 'failed', 'Sorry, no answer.'],
    ]);
    expect(detail.rounds[0]).toMatchObject({
      request: expect.stringContaining('"question":"Hi"'),
      items: [{ robot_answer_message_type: 'MESSAGE' }, { robot_answer_message_type: 'THIRD_ANSWER_INFO' }],
      answerSource: 'llm',
      totalTokens: expect.any(Number),
    });
    expect(detail.rounds[1]).toMatchObject({ error: expect.stringContaining('500') });
    expect((await adminFetch(bridge, '/admin/api/conversations/nobody')).status).toBe(404);
  });
});
