import type { AppDeps } from '../app-deps.js';
import { knowledgeSettings } from '../config.js';
import type { AnswerSource } from '../answer/answer-source.js';
import { createKnowledgeSource } from '../knowledge/knowledge-source.js';
import { createWorkflowSource } from '../workflows/workflow-source.js';
import { createTextSource } from '../answer/text-source.js';
import type { ClaimSettings } from './claim-round.js';
import type { RoundDeps } from './round-deps.js';

// A running round cannot outlive the model's total timeout; past it plus this margin its owner is gone.
const STALE_MARGIN_MS = 30_000;

/** Aborted only by shutdown (through the in-flight registry), never by a caller hanging up. */
export const UNTIL_SHUTDOWN = new AbortController().signal;

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
      sources: {
        welcome: createTextSource('welcome', config.WELCOME_TEXT, 'QA_DIRECT'),
        question: questionSource(app),
      },
      fallbackText: config.FALLBACK_TEXT,
      callbacksQueued: () => app.callbacks.notify(),
      context: { defaultWindowSeconds: config.CONTEXT_WINDOW_SECONDS, maxTurns: config.CONTEXT_MAX_TURNS },
    },
    claimSettings: {
      duplicateWaitMs: config.DUPLICATE_WAIT_MS,
      staleAfterMs: config.LLM_TOTAL_TIMEOUT_MS + STALE_MARGIN_MS,
    },
  };
}

/** Workflows around the knowledge base around the model, each layer present when configured. */
function questionSource(app: AppDeps): AnswerSource | undefined {
  const { config } = app;
  const answers = app.knowledge
    ? createKnowledgeSource({ store: app.knowledge, llm: app.llm, settings: knowledgeSettings(config) })
    : app.llm;
  const modelAvailable = Boolean(app.llm) && config.LLM_TOOLS;
  if (app.workflows.settings.workflows.length === 0 && !modelAvailable) return answers;
  return createWorkflowSource({
    settings: app.workflows.settings,
    sessions: app.workflows.sessions,
    inner: answers,
    modelAvailable,
    fetch: app.fetch,
    clock: app.clock,
    logger: app.logger,
  });
}
