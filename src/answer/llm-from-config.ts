import OpenAI from 'openai';
import type { Config } from '../config.js';
import type { AnswerSource } from './answer-source.js';
import { createLlmSource } from './llm-source.js';

/** The LLM source the configuration describes, or undefined when no API key is set. */
export function llmSourceFromConfig(config: Config, fetchImpl?: typeof fetch): AnswerSource | undefined {
  if (!config.OPENAI_API_KEY) return undefined;
  const client = new OpenAI({
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    maxRetries: config.OPENAI_MAX_RETRIES,
    // Our own first-token and total deadlines abort earlier; this only backs them up.
    timeout: config.LLM_TOTAL_TIMEOUT_MS,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  return createLlmSource({
    client,
    model: config.OPENAI_MODEL,
    debugModel: config.OPENAI_DEBUG_MODEL,
    systemPrompt: config.SYSTEM_PROMPT,
    debugSystemPrompt: config.DEBUG_SYSTEM_PROMPT,
    firstTokenTimeoutMs: config.LLM_FIRST_TOKEN_TIMEOUT_MS,
    totalTimeoutMs: config.LLM_TOTAL_TIMEOUT_MS,
  });
}
