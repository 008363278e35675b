import { z } from 'zod';

/**
 * The report `sobot-bridge batch` writes (JSON beside the HTML page), compares against on a re-run, and
 * uploads to the admin console (`POST /admin/api/batch-reports`). `version` changes when a field's meaning does.
 */
export const batchCaseResultSchema = z.object({
  questionid: z.string(),
  question: z.string(),
  expectedAnswer: z.string().optional(),
  keywords: z.array(z.string()).optional(),
  expectedAnswerType: z.string().optional(),
  roundid: z.string(),
  cid: z.string(),
  answer: z.string(),
  answerType: z.string().nullable(),
  success: z.boolean().nullable(),
  latencyMs: z.number(),
  /** Whether Sobot's batch callback for this question reached the local receiver (null: no receiver). */
  callbackReceived: z.boolean().nullable(),
  passed: z.boolean(),
  /** Why the case failed, one line each; empty when it passed. */
  failures: z.array(z.string()),
  error: z.string().optional(),
});
export type BatchCaseResult = z.infer<typeof batchCaseResultSchema>;

export const latencySummarySchema = z.object({
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
  mean: z.number(),
});
export type LatencySummary = z.infer<typeof latencySummarySchema>;

export const batchComparisonSchema = z.object({
  previousRuntimeid: z.string(),
  previousPassRate: z.number(),
  /** Questions that failed before and pass now, and the reverse; matched by question text. */
  fixed: z.array(z.string()),
  regressed: z.array(z.string()),
  /** Questions only in this run. */
  added: z.array(z.string()),
  latencyP50Change: z.number(),
});
export type BatchComparison = z.infer<typeof batchComparisonSchema>;

export const batchReportSchema = z.object({
  version: z.literal(1),
  runtimeid: z.string().min(1),
  targetUrl: z.string(),
  mode: z.enum(['stream', 'json']),
  concurrency: z.number().int().positive(),
  startedAt: z.string(),
  finishedAt: z.string(),
  summary: z.object({
    total: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    passRate: z.number(),
    latency: latencySummarySchema,
    answerTypes: z.record(z.string(), z.number()),
    callbacks: z.object({ expected: z.number().int(), received: z.number().int() }),
  }),
  results: z.array(batchCaseResultSchema),
  comparison: batchComparisonSchema.optional(),
});
export type BatchReport = z.infer<typeof batchReportSchema>;
