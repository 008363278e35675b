import { batchReportSchema, type BatchReport } from '../batch/batch-report.js';
import { ApiError } from '../http/api-error.js';
import { parseJsonOrUndefined } from '../util/parse-json.js';
import type { BatchReportTimes } from './admin-store.js';

/** An uploaded report (`POST /admin/api/batch-reports`), checked, with its times as Unix milliseconds. */
export function readBatchReportUpload(
  body: string,
  receivedAt: number,
): { report: BatchReport; times: BatchReportTimes } {
  const json = parseJsonOrUndefined(body);
  if (json === undefined) throw new ApiError('badRequest', 'batch report: the body is not JSON');
  const parsed = batchReportSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`);
    throw new ApiError('badRequest', `batch report: ${problems.join('; ')}`);
  }
  const report = parsed.data;
  const startedAt = Date.parse(report.startedAt);
  const finishedAt = Date.parse(report.finishedAt);
  if (Number.isNaN(startedAt) || Number.isNaN(finishedAt)) {
    throw new ApiError('badRequest', 'batch report: startedAt and finishedAt must be ISO 8601 dates');
  }
  return { report, times: { startedAt, finishedAt, receivedAt } };
}
