import { afterEach, describe, expect, it } from 'vitest';
import { createAgentClient } from '../../src/client/agent-client.js';
import { DEFAULT_OFFER_QUESTIONS } from '../../src/contract-check/check-command.js';
import { runContractCheck, type CheckRun } from '../../src/contract-check/run-contract-check.js';
import { startFakeEnterprise, type FakeEnterprise } from '../fakes/fake-enterprise.js';
import { startFakeAgent, type AgentDefect, type FakeAgent } from '../fakes/fake-agent.js';
import { runCli } from '../helpers/run-cli.js';
import { useTestHarness } from '../helpers/test-harness.js';

const harness = useTestHarness();
const agents: FakeAgent[] = [];
let enterprise: FakeEnterprise | undefined;
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.close();
  await enterprise?.close();
  enterprise = undefined;
});

async function check(url: string, token?: string): Promise<CheckRun> {
  return runContractCheck({
    client: createAgentClient({ url, token }),
    token,
    question: 'Hello, what can you do?',
    offerQuestions: DEFAULT_OFFER_QUESTIONS,
  });
}

const statusOf = (run: CheckRun) => Object.fromEntries(run.results.map((result) => [result.name, result.status]));

describe('sobot-bridge check', () => {
  it('passes the bridge on every rule, clicking through to buttons and cards, with the auth rules when a token is set', async () => {
    enterprise = await startFakeEnterprise();
    const bridge = await harness.start({
      env: harness.llmEnv({
        WEBHOOK_TOKEN: 'hook-secret',
        BRIDGE_CONFIG: 'bridge.yaml',
        PRODUCT_API_URL: `${enterprise.baseUrl}/products/search`,
      }),
    });

    const run = await check(`${bridge.url}/sobot/agent`, 'hook-secret');

    expect(run.results.filter((result) => result.status !== 'pass')).toEqual([]);
    expect(run.passed).toBe(true);
    expect(statusOf(run)).toMatchObject({ auth: 'pass', 'button-click': 'pass', 'card-click': 'pass' });
  });

  it('passes an independent, correct implementation of the contract (skipping what it does not offer)', async () => {
    const agent = await startFakeAgent({ token: 't0k' });
    agents.push(agent);

    const run = await check(agent.url, 't0k');

    expect(run.passed).toBe(true);
    expect(statusOf(run)).toMatchObject({ auth: 'pass', 'button-click': 'pass', 'card-click': 'skip' });
  });

  const brokenRules: Array<[AgentDefect, string]> = [
    ['no-message-end', 'message-end'],
    ['message-end-too-early', 'message-end'],
    ['wrong-roundid', 'ids-echoed'],
    ['closing-first', 'json-sequence'],
    ['json-for-stream', 'stream-reply'],
    ['crash-on-bad-json', 'bad-json'],
    ['accept-missing-ids', 'missing-ids'],
    ['new-answer-on-replay', 'replay'],
    ['ignore-token', 'auth'],
    ['refuse-clicks', 'button-click'],
  ];
  it.each(brokenRules)('names the broken rule: %s fails %s', async (defect, rule) => {
    const agent = await startFakeAgent({ defect, token: 't0k' });
    agents.push(agent);

    const run = await check(agent.url, 't0k');

    expect(run.passed).toBe(false);
    expect(statusOf(run)[rule]).toBe('fail');
    expect(run.results.find((result) => result.name === rule)!.detail).not.toBe('');
  });

  it('reports a refused connection as failures instead of crashing', async () => {
    const agent = await startFakeAgent();
    await agent.close();

    const run = await check(agent.url);

    expect(run.passed).toBe(false);
    expect(run.results.find((result) => result.name === 'json-reply')!.detail).toMatch(/request failed/);
  });

  it('exits 1 and prints the broken rule as a command, 0 for the bridge in its own process', async () => {
    const agent = await startFakeAgent({ defect: 'no-message-end' });
    agents.push(agent);

    const broken = await runCli(['check', agent.url]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/FAIL\s+message-end/);
    expect(broken.stdout).toMatch(/PASS\s+json-reply/);

    // In-process, the sample config's shop interfaces run beside the bridge: its cards can be clicked.
    const bridge = await runCli(['check'], [], { BRIDGE_CONFIG: '', ORDER_API_URL: '', PRODUCT_API_URL: '' });
    expect(bridge.stdout).toMatch(/PASS\s+card-click/);
    expect(bridge.stdout).toMatch(/0 failed/);
    expect(bridge.code).toBe(0);
  });
});
