import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThirdAlgorithmResponseItem } from '../src/sobot/schemas/response.js';
import { startFakeEnterprise, type FakeEnterprise } from './fakes/fake-enterprise.js';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/fake-openai.js';
import { sobotEnv, startFakeSobot, type FakeSobot } from './fakes/fake-sobot.js';
import { ADMIN_TOKEN, adminFetch, batchReport } from './helpers/admin.js';
import { manualClock, round, startBridge, type Bridge } from './helpers/bridge.js';
import { hasChromium, launchChromium } from './helpers/chromium.js';
import { waitFor } from './helpers/wait-for.js';

/**
 * The console in headless Chromium against a bridge that answered real rounds: the sample workflows
 * (buttons, cards, hand-over), the sample knowledge, a model, a failing model call, and a batch test
 * whose callback Sobot refused. The tests run in order, as one operator's visit, and each saves a
 * screenshot of its page to test-results/screenshots/ (the README's come from there).
 */
const SCREENSHOTS = 'test-results/screenshots';

let llm: FakeOpenAI;
let sobot: FakeSobot;
let enterprise: FakeEnterprise;
let bridge: Bridge;
let browser: Browser;
let page: Page;

const WORKFLOW_CID = 'cid-7f3a9c21';
// The bridge's clock starts an hour back, so the seeded traffic fills the dashboard's last hour.
const clock = manualClock(Date.now() - 60 * 60_000);
let roundsSent = 0;

async function ask(fields: Record<string, unknown>): Promise<ThirdAlgorithmResponseItem[]> {
  roundsSent += 1;
  const body = round({ robotid: '1001', companyid: 'northwind', ...fields });
  return (await bridge.ask(body)).envelope.data ?? [];
}

/**
 * An hour of model traffic over a dozen conversations: a few rounds a minute, a burst of model errors,
 * and answers that take a while (the clock moves on while the fake model waits before its first token).
 */
async function seedTraffic() {
  const questions = [
    'Which tent suits two people?',
    'Is the sleeping bag machine washable?',
    'Do you have gift wrapping?',
  ];
  for (let minute = 0; minute < 56; minute++) {
    clock.advance(60_000);
    for (let index = 0; index < 1 + ((minute * 7) % 4); index++) {
      const failing = minute >= 38 && minute < 41;
      llm.script(
        failing
          ? { kind: 'status', status: 502 }
          : { kind: 'stream', chunks: ['Happy to help: ', 'here is what I found.'], firstTokenDelayMs: 40 },
      );
      const answered = ask({
        ai_agent_cid: `cid-${(0x3a41c0 + ((minute + index) % 12)).toString(16)}`,
        robotid: index % 3 === 0 ? '1002' : '1001',
        question: questions[(minute + index) % questions.length],
      });
      await new Promise((resolve) => setTimeout(resolve, 10));
      clock.advance(failing ? 0 : 600 + ((minute * 37 + index * 91) % 900));
      await answered;
    }
  }
}

async function seedRounds() {
  // A workflow: welcome, buttons, a click, product cards.
  await ask({ ai_agent_cid: WORKFLOW_CID, roundid: 'w1', input_type_enum: 'WELCOME', question: '' });
  const offer = (await ask({ ai_agent_cid: WORKFLOW_CID, roundid: 'w2', question: 'Can you recommend a tent?' })).at(
    -1,
  )!;
  await ask({
    ai_agent_cid: WORKFLOW_CID,
    roundid: 'w3',
    input_type_enum: 'PROCESS_CLICK',
    question: 'Camping',
    process_info: {
      process_id: offer.third_processid,
      node_id: offer.third_nodeid,
      variable_id: offer.third_variable_id,
      variable_value: 'Camping',
    },
  });
  // The knowledge base, the model (streamed), a hand-over.
  const other = { ai_agent_cid: 'cid-52e18b04', robotid: '1002' };
  await ask({ ...other, roundid: 'k1', question: 'How long does shipping take?' });
  llm.script({ kind: 'stream', chunks: ['Our tents are ', 'waterproof to 3000 mm ', 'and come with a repair kit.'] });
  roundsSent += 1;
  await bridge.askStream(
    round({ ...other, companyid: 'northwind', roundid: 'k2', question: 'Are your tents good in heavy rain?' }),
  );
  await ask({ ...other, roundid: 'k3', question: 'Can I talk to a real person?' });
  // A model failure.
  llm.script({ kind: 'status', status: 503 });
  await ask({ ai_agent_cid: 'cid-0c9d4e77', roundid: 'f1', question: 'Is the Ridge tent in stock in Berlin?' });
  // Sobot's batch test: Sobot refuses the first callback, which goes dead.
  sobot.failNext(1, { kind: 'http', status: 400 });
  llm.script({ kind: 'stream', chunks: ['Yes, within 30 days.'] }, { kind: 'status', status: 500 });
  for (const [questionid, question] of [
    ['q-1', 'How long does shipping take?'],
    ['q-2', 'Write a haiku about rain'],
    ['q-3', 'What is the weather on Mars?'],
  ]) {
    await ask({ ai_agent_cid: `batch-${questionid}`, runtimeid: 'rt-5d1e0a', questionid, question });
  }
  await waitFor(async () => sobot.accepted.length === 2, 'the batch callbacks Sobot accepts', 10_000);
  const upload = await adminFetch(bridge, '/admin/api/batch-reports', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(batchReport()),
  });
  expect(upload.status).toBe(201);
}

async function screenshot(name: string) {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

describe.skipIf(!hasChromium)('the admin console in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [llm, sobot, enterprise] = await Promise.all([startFakeOpenAI(), startFakeSobot(), startFakeEnterprise()]);
    bridge = await startBridge({
      clock,
      env: {
        ADMIN_TOKEN,
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: llm.baseUrl,
        OPENAI_MAX_RETRIES: '0',
        ...sobotEnv(sobot),
        CALLBACK_RETRY_BASE_MS: '20',
        CALLBACK_POLL_INTERVAL_MS: '50',
        KNOWLEDGE_DIR: 'knowledge',
        BRIDGE_CONFIG: 'bridge.yaml',
        PRODUCT_API_URL: `${enterprise.baseUrl}/products/search`,
        ORDER_API_URL: `${enterprise.baseUrl}/orders/lookup`,
      },
    });
    await seedTraffic();
    await seedRounds();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'UTC' });
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.stop();
    bridge?.cleanup();
    await Promise.all([llm?.close(), sobot?.close(), enterprise?.close()]);
  });

  it('asks for the token, refuses a wrong one, and logs in with the right one', async () => {
    await page.goto(`${bridge.url}/admin/conversations`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await screenshot('login');
    await page.fill('#token', 'not-the-token-at-all');
    await page.click('button[type=submit]');
    await page.waitForSelector('text=That is not the admin token.');
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${bridge.url}/admin/conversations`);
    expect(await page.locator('h1').textContent()).toBe('Conversations');
  });

  it('lists conversations, and shows a new one without a reload', async () => {
    const rows = page.locator('table.data tbody tr');
    // The traffic's twelve and the six of the scenarios, newest first.
    await expect.poll(() => rows.count()).toBe(18);
    expect(await rows.first().textContent()).toContain('batch-q-3');
    await screenshot('conversations');
    await ask({ ai_agent_cid: 'cid-live-visitor', question: 'Hello?' });
    // The live region polls every 5 s; the page itself is not navigated.
    await page.locator('a', { hasText: 'cid-live-visitor' }).waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/admin/conversations');
  });

  it('shows a workflow conversation as Sobot would: buttons, a click, product cards', async () => {
    await page.click(`a:text("${WORKFLOW_CID}")`);
    await page.waitForURL(`**/admin/conversations/${WORKFLOW_CID}`);
    await expect.poll(() => page.locator('.option').allTextContents()).toEqual(['Camping', 'Hiking', 'Climbing']);
    expect(await page.locator('.visitor .bubble.click').textContent()).toContain('Camping');
    expect(await page.locator('.card-name').allTextContents()).toEqual(['Ridge 2P Tent', 'Ember 0°C Sleeping Bag']);
    expect(await page.locator('.card-price').first().textContent()).toBe('CNY 1299');
    const details = page.locator('details.round-details').nth(2);
    await details.locator('summary').click();
    await expect
      .poll(() => details.locator('pre.json').first().textContent())
      .toContain('"input_type_enum": "PROCESS_CLICK"');
    await screenshot('conversation-workflow');
  });

  it('shows knowledge used, the model answer with its timings, and the hand-over', async () => {
    await page.goto(`${bridge.url}/admin/conversations/cid-52e18b04`);
    expect(await page.locator('.handover').textContent()).toContain('Transferred to a human agent');
    const faq = page.locator('details.round-details').first();
    await faq.locator('summary').click();
    expect(await faq.locator('table.mini').textContent()).toContain('How long does shipping take?');
    const model = page.locator('details.round-details').nth(1);
    await model.locator('summary').click();
    const waterfall = await model.locator('svg.waterfall > g > text:first-child').allTextContents();
    expect(waterfall).toEqual(['First token', 'First byte', 'Done']);
    expect(await model.locator('svg.waterfall rect.span.total').count()).toBe(1);
    await screenshot('conversation-details');
  });

  it('retries a dead callback from the page, and Sobot gets it', async () => {
    await page.goto(`${bridge.url}/admin/callbacks?status=dead`);
    const deadRow = page.locator('table.data tbody tr');
    await expect.poll(() => deadRow.count()).toBe(1);
    expect(await deadRow.textContent()).toContain('400');
    await screenshot('callbacks-dead');
    const accepted = sobot.accepted.length;
    await deadRow.locator('button', { hasText: 'Retry now' }).click();
    await page.locator('#toast', { hasText: 'queued again' }).waitFor();
    await waitFor(() => sobot.accepted.length === accepted + 1, 'the retried callback at Sobot', 10_000);
    await page.goto(`${bridge.url}/admin/callbacks`);
    await expect.poll(() => page.locator('.badge', { hasText: 'dead' }).count()).toBe(0);
    expect(await page.locator('.badge', { hasText: 'delivered' }).count()).toBe(3);
    await screenshot('callbacks');
  });

  it("shows batch tests: Sobot's by runtimeid, and the CLI's scored report", async () => {
    await page.goto(`${bridge.url}/admin/batch`);
    expect(await page.locator('table.data tbody tr').count()).toBe(2);
    await screenshot('batch-runs');
    await page.click('a:text("rt-5d1e0a")');
    await page.waitForURL('**/admin/batch/rt-5d1e0a');
    expect(await page.locator('.panel-head', { hasText: 'Unanswered' }).textContent()).toContain('1 of 3');
    expect(await page.locator('svg.chart').count()).toBe(1);
    await screenshot('batch-run-sobot');
    await page.goto(`${bridge.url}/admin/batch/cli-20260101-0001`);
    expect(await page.locator('table.data').textContent()).toContain('missing keyword "Mars"');
    await screenshot('batch-run-cli');
  });

  it('shows health at a glance over the last hour and day', async () => {
    await page.goto(`${bridge.url}/admin`);
    const rounds = page.locator('.stat', { hasText: 'Rounds' }).first().locator('.value');
    expect(await rounds.textContent()).toBe(String(roundsSent));
    expect(await page.locator('svg.chart').count()).toBe(4);
    await screenshot('dashboard');
    await page.click('a:text("Last 24 hours")');
    await page.waitForURL('**/admin?range=day');
    expect(await page.locator('svg.chart').count()).toBe(4);
  });

  it('logs out', async () => {
    await page.click('button:text("Log out")');
    await page.waitForURL('**/admin/login');
    await page.goto(`${bridge.url}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
  });
});
