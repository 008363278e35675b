import type { AppDeps } from '../app-deps.js';
import { knowledgeSettings } from '../config.js';
import type { AnswerSource } from '../answer/answer-source.js';
import { createKnowledgeSource } from '../knowledge/knowledge-source.js';
import { createCircuitBreaker } from '../peers/circuit-breaker.js';
import { createPeerSource } from '../peers/peer-source.js';
import { createRoutedSource } from '../peers/routed-source.js';
import { createWorkflowSource } from '../workflows/workflow-source.js';
import { createTextSource } from '../answer/text-source.js';
import type { ClaimSettings } from './claim-round.js';
import { createConversationQueue } from './conversation-queue.js';
import type { RoundDeps } from './round-deps.js';

// Once a round has run longer than the model's total timeout plus this margin, its owner is taken to be gone.
// (A round may wait longer for its turn or a model slot; recovery skips those its own app holds: `answering`.)
const STALE_MARGIN_MS = 30_000;

/**
 * A signal only shutdown aborts (through the in-flight registry), never a caller hanging up. Made per use:
 * Workers forbid creating one while the module loads.
 */
export function ignoringHangUp(): AbortSignal {
  return new AbortController().signal;
}

export interface RoundWiring {
  deps: RoundDeps;
  claimSettings: ClaimSettings;
}

/** The round pipeline's dependencies and settings, built once per app from its deps and config. */
export function wireRounds(app: AppDeps): RoundWiring {
  const { config } = app;
  return {
    deps: {
      store: app.store,
      clock: app.clock,
      logger: app.logger,
      metrics: app.metrics,
      sources: {
        welcome: createTextSource('welcome', config.WELCOME_TEXT, 'QA_DIRECT'),
        question: questionSource(app),
      },
      fallbackText: config.FALLBACK_TEXT,
      callbacksQueued: () => app.callbacks.notify(),
      context: { defaultWindowSeconds: config.CONTEXT_WINDOW_SECONDS, maxTurns: config.CONTEXT_MAX_TURNS },
      conversations: createConversationQueue(),
      answering: new Set(),
      later: app.background.later,
    },
    claimSettings: {
      duplicateWaitMs: config.DUPLICATE_WAIT_MS,
      staleAfterMs: config.LLM_TOTAL_TIMEOUT_MS + STALE_MARGIN_MS,
    },
  };
}

/**
 * Workflows, around a router that picks per robot among the peers and the knowledge base with the
 * model (`default`), each layer present only when configured.
 */
function questionSource(app: AppDeps): AnswerSource | undefined {
  const { config, configFile } = app;
  const local = app.knowledge
    ? createKnowledgeSource({ store: app.knowledge, llm: app.llm, settings: knowledgeSettings(config) })
    : app.llm;
  const peerDeps = {
    sessions: app.peerSessions,
    fetch: app.fetch,
    connectWebSocket: app.connectWebSocket,
    clock: app.clock,
    logger: app.logger,
  };
  const peers = Object.entries(configFile.peers).map(
    ([name, peer]) => [name, createPeerSource(name, peer, peerDeps)] as const,
  );
  const answers =
    peers.length === 0
      ? local
      : createRoutedSource({
          routes: configFile.routes,
          sources: new Map([...(local ? [['default', local] as const] : []), ...peers]),
          breaker: createCircuitBreaker(
            { failures: configFile.circuit_failures, openMs: configFile.circuit_open_seconds * 1000 },
            app.clock,
          ),
          logger: app.logger,
        });
  const modelAvailable = Boolean(app.llm) && config.LLM_TOOLS;
  // Peers offer quick replies through the same checked path as the model's tools, so they need it too.
  if (configFile.workflows.length === 0 && !modelAvailable && peers.length === 0) return answers;
  return createWorkflowSource({
    settings: configFile,
    sessions: app.workflowSessions,
    inner: answers,
    modelAvailable,
    fetch: app.fetch,
    clock: app.clock,
    logger: app.logger,
  });
}
