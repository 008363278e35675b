import type { KnowledgeRef } from '../knowledge/knowledge-entry.js';
import type { PrunedTable } from '../store/retention-store.js';
import type { CallbackKind } from '../store/schema.js';

/** How Sobot gets the answer: as SSE, as one JSON list, or by callback (copilot). */
export type RoundMode = 'stream' | 'json' | 'copilot';

/** What a finished round contributes to the metrics. */
export interface RoundMetrics {
  mode: RoundMode;
  status: string;
  answerType: string;
  source: string;
  model?: string | undefined;
  firstTokenMs?: number | undefined;
  firstByteMs?: number | undefined;
  latencyMs: number;
  promptTokens?: number | undefined;
  completionTokens?: number | undefined;
  /** Knowledge the answer drew on or suggested. */
  knowledge: KnowledgeRef[];
}

export type CallbackOutcome = 'delivered' | 'retry' | 'dead';

/** Where a refused request was sent: a fixed set, so a scanner's paths cannot grow the label values. */
export type RequestRoute = 'webhook' | 'admin' | 'metrics' | 'health' | 'other';

/**
 * The service's metrics. Node keeps counters and histograms in the process; a Worker isolate's counters
 * would only describe that isolate, so the Worker records nothing and exposes what the database knows.
 */
export interface Metrics {
  roundFinished(round: RoundMetrics): void;
  callbackAttempted(kind: CallbackKind, outcome: CallbackOutcome): void;
  /** A request answered with a 4xx error envelope; `code` is its `ret_code`. */
  requestRefused(route: RequestRoute, code: string): void;
  /** Rows retention deleted from `table`. */
  rowsPruned(table: PrunedTable, count: number): void;
  /** The Prometheus text exposition: what this process counted, and values read from the database now. */
  scrape(): Promise<string>;
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
