import type { AdminStore } from './admin/admin-store.js';
import type { AnswerSource } from './answer/answer-source.js';
import type { CallbackDispatcher } from './callbacks/callback-dispatcher.js';
import type { Config } from './config.js';
import type { KnowledgeStore } from './knowledge/knowledge-store.js';
import type { Metrics } from './metrics/metrics.js';
import type { WorkflowSessionStore } from './workflows/workflow-session.js';
import type { BridgeConfigFile } from './config-file/bridge-config-file.js';
import type { PeerSessionStore } from './peers/peer-session-store.js';
import type { ConnectWebSocket } from './peers/websocket.js';
import type { BackgroundWork } from './runtime/background-work.js';
import type { EventStreamReply } from './http/event-stream.js';
import type { OpenJsonReply } from './http/json-reply.js';
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
  /** The config file: workflows, enterprise interfaces, peer platforms and routes. */
  configFile: BridgeConfigFile;
  /** Where conversations stand in workflows. */
  workflowSessions: WorkflowSessionStore;
  /** Peer platforms' own sessions per conversation. */
  peerSessions: PeerSessionStore;
  /** HTTP out (enterprise interfaces, peer platforms). */
  fetch: typeof fetch;
  /** WebSocket out (CybotStar's streaming dialog). */
  connectWebSocket: ConnectWebSocket;
  clock: Clock;
  logger: Logger;
  /** Counters and histograms for GET /metrics (per process on Node; read from the database on Workers). */
  metrics: Metrics;
  inflight: InflightRounds;
  /** Delivers queued Sobot callbacks; told when a round queues one. */
  callbacks: CallbackDispatcher;
  background: BackgroundWork;
  /** How a streamed reply reaches the client; the web version (`eventStream`) when absent. */
  eventStream?: EventStreamReply | undefined;
  /** A JSON reply sent before the handler returns, where the runtime has one (Node). */
  jsonReply?: OpenJsonReply | undefined;
  /** The admin console's data; the console is served when this and ADMIN_TOKEN are both set. */
  admin?: AdminStore | undefined;
}
