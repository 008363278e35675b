import OpenAI from 'openai';
import type { Config } from '../config.js';
import type { Logger } from '../runtime/logger.js';
import type { AnswerSource } from './answer-source.js';
import { createConcurrencyLimit, limitConcurrency } from './limit-concurrency.js';
import { createLlmSource } from './llm-source.js';

/**
 * The LLM source the configuration describes, or undefined when no API key is set. `modelFetch` is the
 * runtime's HTTP client for the model API; without one the SDK uses the global fetch.
 */
export function llmSourceFromConfig(
  config: Config,
  logger: Logger,
  modelFetch?: typeof fetch,
): AnswerSource | undefined {
  if (!config.OPENAI_API_KEY) return undefined;
  const client = new OpenAI({
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    maxRetries: config.OPENAI_MAX_RETRIES,
    // Our own first-token and total deadlines abort earlier; this only backs them up.
    timeout: config.LLM_TOTAL_TIMEOUT_MS,
    // The SDK's own diagnostics (e.g. an unparseable stream frame) join our JSON log instead of raw stderr.
    logger: sdkLogger(logger),
    logLevel: 'warn',
    fetch: modelFetch,
  });
  const source = createLlmSource({
    client,
    model: config.OPENAI_MODEL,
    debugModel: config.OPENAI_DEBUG_MODEL,
    systemPrompt: config.SYSTEM_PROMPT,
    debugSystemPrompt: config.DEBUG_SYSTEM_PROMPT,
    firstTokenTimeoutMs: config.LLM_FIRST_TOKEN_TIMEOUT_MS,
    totalTimeoutMs: config.LLM_TOTAL_TIMEOUT_MS,
  });
  return limitConcurrency(source, createConcurrencyLimit(config.LLM_MAX_CONCURRENCY));
}

function sdkLogger(logger: Logger) {
  const forward =
    (log: (message: string, fields?: Record<string, unknown>) => void) =>
    (message: string, ...rest: unknown[]) =>
      log(`openai sdk: ${message}`, rest.length > 0 ? { detail: rest.map(String).join(' ') } : undefined);
  return {
    error: forward(logger.error),
    warn: forward(logger.warn),
    info: forward(logger.info),
    debug: forward(logger.debug),
  };
}
