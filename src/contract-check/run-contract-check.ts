import type { AgentClient } from '../client/agent-client.js';
import { contractChecks, type CheckOutcome, type ContractCheck } from './contract-checks.js';
import { ContractProbe, type ProbeOptions } from './contract-probe.js';

export interface CheckResult extends CheckOutcome {
  name: string;
  rule: string;
}

export interface CheckRun {
  results: CheckResult[];
  passed: boolean;
}

/**
 * Runs every check in order against one endpoint. A check whose requests fail outright (refused connection,
 * timeout) fails with that reason, and the others still run.
 */
export async function runContractCheck(
  options: Omit<ProbeOptions, 'client'> & { client: AgentClient },
  checks: ContractCheck[] = contractChecks,
  onResult: (result: CheckResult) => void = () => {},
): Promise<CheckRun> {
  const probe = new ContractProbe(options);
  const results: CheckResult[] = [];
  for (const check of checks) {
    const outcome = await check.run(probe).catch((error: unknown): CheckOutcome => ({
      status: 'fail',
      detail: `request failed: ${describeFailure(error)}`,
    }));
    const result = { name: check.name, rule: check.rule, ...outcome };
    results.push(result);
    onResult(result);
  }
  return { results, passed: results.every((result) => result.status !== 'fail') };
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch reports the network reason (ECONNREFUSED, a timeout) as the cause of a generic "fetch failed".
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
