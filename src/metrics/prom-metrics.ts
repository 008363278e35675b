import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Clock } from '../runtime/clock.js';
import type { InflightRounds } from '../runtime/inflight.js';
import { renderDatabaseGauges } from './database-metrics.js';
import type { Metrics } from './metrics.js';
import type { MetricsStore } from './metrics-store.js';

// From a fast FAQ answer (milliseconds) to the model's total deadline (a minute).
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

export interface PromMetricsOptions {
  store: MetricsStore;
  clock: Clock;
  inflight: InflightRounds;
}

/** Metrics for Node: prom-client counters and histograms in this process, on a registry of its own. */
export function createPromMetrics(options: PromMetricsOptions): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const counter = <Label extends string>(name: string, help: string, labelNames: readonly Label[]) =>
    new Counter<Label>({ name, help, labelNames, registers });

  const rounds = counter(
    'sobot_bridge_rounds_total',
    'Rounds answered, by how Sobot gets the answer (stream, json, copilot), answer type, status and source.',
    ['mode', 'answer_type', 'status', 'source'],
  );
  const seconds = (name: string, help: string) =>
    new Histogram({ name, help, labelNames: ['mode'] as const, buckets: SECONDS_BUCKETS, registers });
  const firstToken = seconds(
    'sobot_bridge_round_first_token_seconds',
    'From receiving the request to the first text of the answer (model token, FAQ line, peer reply).',
  );
  const firstByte = seconds(
    'sobot_bridge_round_first_byte_seconds',
    'From receiving the request to handing the first byte of the answer to the HTTP server.',
  );
  const duration = seconds(
    'sobot_bridge_round_duration_seconds',
    'From receiving the request to the round being stored as finished.',
  );
  const tokens = counter('sobot_bridge_llm_tokens_total', 'Model tokens used, as the model reported them.', [
    'model',
    'type',
  ]);
  const knowledgeHits = counter(
    'sobot_bridge_knowledge_hits_total',
    'Knowledge entries rounds answered from, grounded the model in, or suggested.',
    ['kind'],
  );
  const callbackAttempts = counter(
    'sobot_bridge_callback_attempts_total',
    'Callback deliveries to Sobot by outcome: delivered, retry (failed, tried again later) or dead.',
    ['kind', 'outcome'],
  );
  const refused = counter(
    'sobot_bridge_requests_refused_total',
    'Requests answered with a 4xx error envelope, by route (webhook, admin, metrics, health, other) and ret_code.',
    ['route', 'code'],
  );
  const pruned = counter('sobot_bridge_rows_pruned_total', 'Rows deleted past RETENTION_DAYS, by table.', ['table']);
  new Gauge({
    name: 'sobot_bridge_inflight_rounds',
    help: 'Rounds this process is answering now.',
    registers,
    collect() {
      this.set(options.inflight.size);
    },
  });

  return {
    roundFinished(round) {
      const mode = { mode: round.mode };
      rounds.inc({ ...mode, answer_type: round.answerType, status: round.status, source: round.source });
      duration.observe(mode, round.latencyMs / 1000);
      if (round.firstTokenMs !== undefined) firstToken.observe(mode, round.firstTokenMs / 1000);
      if (round.firstByteMs !== undefined) firstByte.observe(mode, round.firstByteMs / 1000);
      const model = round.model ?? 'unknown';
      if (round.promptTokens) tokens.inc({ model, type: 'prompt' }, round.promptTokens);
      if (round.completionTokens) tokens.inc({ model, type: 'completion' }, round.completionTokens);
      for (const ref of round.knowledge) knowledgeHits.inc({ kind: ref.kind });
    },
    callbackAttempted(kind, outcome) {
      callbackAttempts.inc({ kind, outcome });
    },
    requestRefused(route, code) {
      refused.inc({ route, code });
    },
    rowsPruned(table, count) {
      pruned.inc({ table }, count);
    },
    async scrape() {
      const [counted, snapshot] = await Promise.all([registry.metrics(), options.store.snapshot()]);
      return counted + renderDatabaseGauges(snapshot, options.clock.now());
    },
  };
}
