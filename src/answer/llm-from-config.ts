import type { Config } from '../config.js';
import type { AnswerSource } from './answer-source.js';
import { createConcurrencyLimit, limitConcurrency } from './limit-concurrency.js';
import { createLlmSource } from './llm-source.js';
import { createChatCompletionsClient, OPENAI_API_URL } from './chat-completions-client.js';
import { createFetchModelHttp, type ModelHttp } from './model-http.js';

/**
 * The LLM source the configuration describes, or undefined when no API key is set. `modelHttp` is the
 * runtime's way to reach the model API; `fetch` when it brings none.
 */
export function llmSourceFromConfig(
  config: Config,
  modelHttp: ModelHttp = createFetchModelHttp(),
): AnswerSource | undefined {
  if (!config.OPENAI_API_KEY) return undefined;
  const client = createChatCompletionsClient({
    apiKey: config.OPENAI_API_KEY,
    baseUrl: config.OPENAI_BASE_URL ?? OPENAI_API_URL,
    maxRetries: config.OPENAI_MAX_RETRIES,
    http: modelHttp,
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
  // A copilot suggestion that cannot start within the first-token deadline is as late as one whose model did not.
  const timelyWaitMs = config.LLM_FIRST_TOKEN_TIMEOUT_MS;
  return limitConcurrency(source, createConcurrencyLimit(config.LLM_MAX_CONCURRENCY), timelyWaitMs);
}
