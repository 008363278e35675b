import pc from 'picocolors';
import type { CheckResult, CheckRun } from './run-contract-check.js';

const MARKS = { pass: pc.green('PASS'), fail: pc.red('FAIL'), skip: pc.yellow('SKIP') } as const;

/** One line per check as it finishes: mark, name, then the rule and what was seen. */
export function checkLine(result: CheckResult, nameWidth = 16): string {
  const detail = result.detail ? pc.dim(` — ${result.detail}`) : '';
  return `${MARKS[result.status]}  ${result.name.padEnd(nameWidth)} ${result.rule}${detail}`;
}

export function checkSummary(run: CheckRun): string {
  const count = (status: CheckResult['status']) => run.results.filter((result) => result.status === status).length;
  const line = `${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped`;
  return run.passed ? pc.green(`✓ ${line}`) : pc.red(`✗ ${line}`);
}
