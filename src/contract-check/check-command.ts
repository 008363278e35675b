import pc from 'picocolors';
import { createAgentClient, type AgentEndpoint } from '../client/agent-client.js';
import { startLocalBridge } from '../client/local-bridge.js';
import { checkLine, checkSummary } from './check-table.js';
import { contractChecks } from './contract-checks.js';
import { runContractCheck, type CheckRun } from './run-contract-check.js';

export interface CheckCommandOptions {
  token?: string | undefined;
  question: string;
  offerQuestion: string[];
  json: boolean;
  write?: ((text: string) => void) | undefined;
}

/** Questions our sample workflows answer with buttons or cards; other agents may too. */
export const DEFAULT_OFFER_QUESTIONS = ['I want to return an order', 'Can you recommend a product?'];

/**
 * `sobot-bridge check [URL]`: the named checks against a live endpoint (or the bridge in this process), a line
 * per check, exit code 1 when any fails so it can gate a deployment.
 */
export async function checkCommand(url: string | undefined, options: CheckCommandOptions): Promise<number> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const bridge = url ? undefined : await startLocalBridge(undefined);
  try {
    const endpoint = endpointOf(url ?? bridge!.webhookUrl, options.token);
    if (!options.json) write(pc.bold(`Checking ${bridge ? 'the bridge in this process' : endpoint.url}\n`));
    const nameWidth = Math.max(...contractChecks.map((check) => check.name.length));
    const run: CheckRun = await runContractCheck(
      {
        client: createAgentClient(endpoint),
        token: endpoint.token,
        question: options.question,
        offerQuestions: options.offerQuestion.length ? options.offerQuestion : DEFAULT_OFFER_QUESTIONS,
      },
      contractChecks,
      (result) => options.json || write(`${checkLine(result, nameWidth)}\n`),
    );
    write(options.json ? `${JSON.stringify(run, null, 2)}\n` : `${checkSummary(run)}\n`);
    return run.passed ? 0 : 1;
  } finally {
    await bridge?.stop();
  }
}

/** A `?token=` in the URL counts as the token, so the auth checks run for URLs copied from Sobot's settings. */
function endpointOf(url: string, token: string | undefined): AgentEndpoint {
  const parsed = new URL(url);
  const fromUrl = parsed.searchParams.get('token') ?? undefined;
  parsed.searchParams.delete('token');
  return { url: parsed.toString(), token: token ?? fromUrl };
}
