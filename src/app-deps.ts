import type { AnswerSource } from './answer/answer-source.js';
import type { CallbackDispatcher } from './callbacks/callback-dispatcher.js';
import type { Config } from './config.js';
import type { KnowledgeStore } from './knowledge/knowledge-store.js';
import type { WorkflowSessionStore } from './workflows/workflow-session.js';
import type { WorkflowSettings } from './workflows/workflow-schema.js';
import type { BackgroundWork } from './runtime/background-work.js';
import type { Clock } from './runtime/clock.js';
import type { InflightRounds } from './runtime/inflight.js';
import type { Logger } from './runtime/logger.js';
import type { RoundStore } from './store/round-store.js';

/** Everything the app touches outside itself; each runtime (Node, Workers, tests) plugs in its own. */
export interface AppDeps {
  config: Config;
  store: RoundStore;
  /** The LLM answer source; absent when no API key is configured. */
  llm?: AnswerSource | undefined;
  /** The indexed knowledge base; questions are routed through it when present. */
  knowledge?: KnowledgeStore | undefined;
  /** Workflows from the config file, and where conversations stand in them. */
  workflows: { settings: WorkflowSettings; sessions: WorkflowSessionStore };
  /** HTTP out (enterprise interfaces). */
  fetch: typeof fetch;
  clock: Clock;
  logger: Logger;
  inflight: InflightRounds;
  /** Delivers queued Sobot callbacks; told when a round queues one. */
  callbacks: CallbackDispatcher;
  background: BackgroundWork;
}
