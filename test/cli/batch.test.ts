import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { batchCommand, type BatchCommandOptions } from '../../src/batch/batch-command.js';
import { batchReportSchema, type BatchReport } from '../../src/batch/batch-report.js';
import { startFakeAgent, type FakeAgent } from '../fakes/fake-agent.js';
import { ADMIN_TOKEN, adminJson } from '../helpers/admin.js';
import { freePort } from '../helpers/free-port.js';
import { storedRound } from '../helpers/bridge.js';
import { hasChromium, launchChromium } from '../helpers/chromium.js';
import { runCli } from '../helpers/run-cli.js';
import { useTestHarness } from '../helpers/test-harness.js';

const harness = useTestHarness();
let directory: string;
const agents: FakeAgent[] = [];
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'batch-test-'));
});
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.close();
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

const QUESTIONS_CSV = `question,expected_answer,keywords,expected_type
How long does shipping take?,,business days,QA_DIRECT
"Can I return an item, and how long do I have?",,,
What is the meaning of life?,,,QA_DIRECT
Hello there,,Hello,
`;

function file(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

async function batch(questions: string, options: Partial<BatchCommandOptions> & { url: string }) {
  const output: string[] = [];
  const report = join(directory, `report-${Math.random().toString(36).slice(2)}`);
  const code = await batchCommand(questions, {
    concurrency: 3,
    stream: false,
    report,
    progress: false,
    write: (text) => output.push(text),
    ...options,
  });
  const json = batchReportSchema.parse(JSON.parse(readFileSync(`${report}.json`, 'utf8')));
  return { code, output: output.join(''), report, json };
}

/** The bridge answering from the sample knowledge base, calling back to the batch's own receiver. */
function knowledgeBridge() {
  return harness.start({ env: { KNOWLEDGE_DIR: 'knowledge' } });
}

describe('sobot-bridge batch', () => {
  it('runs the questions as one Sobot batch test, scores them and summarises the run', async () => {
    const bridge = await knowledgeBridge();
    const { code, json, output } = await batch(file('questions.csv', QUESTIONS_CSV), {
      url: `${bridge.url}/sobot/agent`,
      failUnder: 0.9,
    });

    expect(code).toBe(1); // below --fail-under
    const byQuestion = new Map(json.results.map((result) => [result.question, result]));
    expect(byQuestion.get('How long does shipping take?')).toMatchObject({ passed: true, answerType: 'QA_DIRECT' });
    expect(byQuestion.get('What is the meaning of life?')).toMatchObject({
      passed: false,
      failures: [expect.stringMatching(/answer_type UNKNOWN, expected QA_DIRECT/)],
    });
    expect(byQuestion.get('Hello there')!.failures).toContain('missing keywords: Hello');
    expect(json.summary).toMatchObject({ total: 4, passed: json.results.filter((result) => result.passed).length });
    expect(json.summary.answerTypes.QA_DIRECT).toBeGreaterThanOrEqual(1);
    expect(output).toMatch(/What is the meaning of life\?: answer_type UNKNOWN/);

    // Every question was its own round under the run's runtimeid, with its own questionid.
    expect(json.runtimeid).toMatch(/^cli-/);
    for (const result of json.results) {
      expect(storedRound(bridge, result.roundid)).toMatchObject({
        runtimeid: json.runtimeid,
        questionid: result.questionid,
      });
    }
  });

  it('reads JSONL and streams; against a --url it does not wait for batch callbacks unless asked', async () => {
    const lines = [
      { question: 'How long does shipping take?', keywords: ['business days'] },
      { question: '退款多久到账', questionid: 'refund-zh' },
    ];
    const bridge = await knowledgeBridge();
    const { json } = await batch(file('questions.jsonl', lines.map((line) => JSON.stringify(line)).join('\n')), {
      url: `${bridge.url}/sobot/agent`,
      stream: true,
    });

    expect(json.mode).toBe('stream');
    expect(json.results.map((result) => result.questionid)).toEqual(['q1', 'refund-zh']);
    expect(json.results[0]).toMatchObject({ passed: true, callbackReceived: null });
  });

  it('awaits batch callbacks from a --url agent started with the receiver it was told of', async () => {
    const receiverPort = await freePort();
    const receiverKey = 'batch-test-app-key';
    const bridge = await harness.start({
      env: {
        KNOWLEDGE_DIR: 'knowledge',
        SOBOT_BASE_URL: `http://127.0.0.1:${receiverPort}`,
        SOBOT_APPID: 'sobot-bridge-cli',
        SOBOT_APP_KEY: receiverKey,
      },
    });
    const { json, output } = await batch(file('receiver.csv', QUESTIONS_CSV), {
      url: `${bridge.url}/sobot/agent`,
      callbackWait: 10,
      receiverPort,
      receiverKey,
    });

    expect(output).toContain(
      `SOBOT_BASE_URL=http://127.0.0.1:${receiverPort} SOBOT_APPID=sobot-bridge-cli SOBOT_APP_KEY=${receiverKey}`,
    );
    expect(json.summary.callbacks).toEqual({ expected: 4, received: 4 });
  });

  it('refuses --admin-token without --url: the in-process bridge and its console end with the run', async () => {
    const result = await runCli(['batch', file('no-url.csv', QUESTIONS_CSV), '--admin-token', ADMIN_TOKEN]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--admin-token needs --url/);
  });

  it('collects batch callbacks when the bridge runs in its own process, and compares a re-run with the last report', async () => {
    const questions = file('compare.csv', QUESTIONS_CSV);
    const report = join(directory, 'compare-report');

    const first = await runCli(['batch', questions, '--report', report, '--concurrency', '2']);
    expect(first.code).toBe(0);
    const firstReport = batchReportSchema.parse(JSON.parse(readFileSync(`${report}.json`, 'utf8')));
    expect(firstReport.summary.callbacks).toEqual({ expected: 4, received: 4 });
    expect(firstReport.results.every((result) => result.callbackReceived)).toBe(true);

    // The same questions against another agent: shipping regresses, the greeting is fixed.
    const agent = await startFakeAgent();
    agents.push(agent);
    const second = await runCli(['batch', questions, '--report', report, '--url', agent.url]);
    expect(second.code).toBe(0);
    const secondReport = batchReportSchema.parse(JSON.parse(readFileSync(`${report}.json`, 'utf8')));
    expect(secondReport.comparison).toMatchObject({
      previousRuntimeid: firstReport.runtimeid,
      regressed: expect.arrayContaining(['How long does shipping take?']),
      fixed: ['Hello there'],
      added: [],
    });
    expect(second.stdout).toMatch(/regressed: How long does shipping take\?/);
  });

  it('runs without comparing when the last report cannot be read, and refuses a --compare file that cannot', async () => {
    const agent = await startFakeAgent();
    agents.push(agent);
    const questions = file('unreadable-previous.csv', QUESTIONS_CSV);
    const report = join(directory, 'unreadable-previous');
    writeFileSync(`${report}.json`, '{"version": "from an older release"}');
    const output: string[] = [];
    const options = { url: agent.url, concurrency: 2, stream: false, report, progress: false };
    const code = await batchCommand(questions, { ...options, write: (text) => output.push(text) });
    expect(code).toBe(0);
    expect(stripVTControlCharacters(output.join(''))).toContain(
      `not comparing with ${report}.json: not a batch report this version can read`,
    );
    const written = batchReportSchema.parse(JSON.parse(readFileSync(`${report}.json`, 'utf8')));
    expect(written.comparison).toBeUndefined();

    const broken = file('broken-report.json', '{"results": ');
    await expect(batchCommand(questions, { ...options, compare: broken, write: () => {} })).rejects.toThrow(
      /broken-report\.json: cannot compare with it: /,
    );
  });

  it("uploads its report to the bridge's admin console, shown beside the run's rounds", async () => {
    const bridge = await harness.start({ env: { KNOWLEDGE_DIR: 'knowledge', ADMIN_TOKEN } });
    const { json, output } = await batch(file('upload.csv', QUESTIONS_CSV), {
      url: `${bridge.url}/sobot/agent`,
      adminToken: ADMIN_TOKEN,
    });

    expect(output).toContain('uploaded to the admin console');
    const run = await adminJson<Record<string, any>>(bridge, `/admin/api/batch-runs/${json.runtimeid}`);
    expect(run).toMatchObject({ kind: 'report', origin: 'cli', report: { runtimeid: json.runtimeid } });
    expect(run.failing.map((result: { question: string }) => result.question)).toEqual(
      json.results.filter((result) => !result.passed).map((result) => result.question),
    );

    const refused = await batch(file('upload-refused.csv', QUESTIONS_CSV), {
      url: `${bridge.url}/sobot/agent`,
      adminToken: 'not-the-admin-token-at-all',
    });
    expect(refused.code).toBe(0); // the batch ran; only the upload failed, and says so
    expect(refused.output).toMatch(/upload to .* failed: HTTP 401/);
  });

  it('rejects a questions file it cannot read, naming the line', async () => {
    const broken = file('broken.jsonl', '{"question": "fine"}\n{"question": ""}\n');
    const result = await runCli(['batch', broken]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('broken.jsonl:2: question: question is empty');
  });
});

describe.skipIf(!hasChromium)('the batch HTML report in Chromium', () => {
  it('renders its pass rate, latency histogram, answer types and each failing case', async () => {
    const bridge = await knowledgeBridge();
    const { json, report } = await batch(file('html.csv', QUESTIONS_CSV), { url: `${bridge.url}/sobot/agent` });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      await page.goto(pathToFileURL(`${report}.html`).href);

      await expect(page.locator('#pass-rate').textContent()).resolves.toContain(`(${json.summary.passed}/4)`);
      const bars = page.locator('svg.histogram rect.bar');
      expect(await bars.count()).toBeGreaterThan(0);
      const drawn = await bars.evaluateAll((rects) => rects.map((rect) => (rect as SVGRectElement).getBBox().height));
      expect(Math.max(...drawn)).toBeGreaterThan(0); // the tallest bar is really drawn
      const counted = await bars.evaluateAll((rects) =>
        rects.reduce((sum, rect) => sum + Number(rect.getAttribute('data-count')), 0),
      );
      expect(counted).toBe(4);
      expect(await page.locator('#answer-types tr').count()).toBe(Object.keys(json.summary.answerTypes).length + 1);
      expect(await page.locator('#failures tr.failure').count()).toBe(json.summary.failed);
      await expect(page.locator('#failures').textContent()).resolves.toContain('What is the meaning of life?');
      await page.screenshot({ path: 'test-results/screenshots/batch-report.png', fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
