import type { BatchComparison, BatchReport } from './batch-report.js';

/** What changed since a previous run of the same questions (matched by question text). */
export function compareReports(current: BatchReport, previous: BatchReport): BatchComparison {
  const before = new Map(previous.results.map((result) => [result.question, result.passed]));
  const fixed: string[] = [];
  const regressed: string[] = [];
  const added: string[] = [];
  for (const result of current.results) {
    const passedBefore = before.get(result.question);
    if (passedBefore === undefined) added.push(result.question);
    else if (!passedBefore && result.passed) fixed.push(result.question);
    else if (passedBefore && !result.passed) regressed.push(result.question);
  }
  return {
    previousRuntimeid: previous.runtimeid,
    previousPassRate: previous.summary.passRate,
    fixed,
    regressed,
    added,
    latencyP50Change: current.summary.latency.p50 - previous.summary.latency.p50,
  };
}
