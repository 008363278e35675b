import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ModelHttp, ModelHttpResponse } from './model-http.js';
import { isRetryableStatus, retryDelayMs } from './model-retry.js';
import { oncePerObject } from '../util/once-per-object.js';

/**
 * An OpenAI-compatible chat-completions client for the one call the bridge makes: a streamed completion.
 * It speaks the openai SDK's wire types and retries as the SDK does, but without the SDK's per-call
 * machinery (headers objects, request logging, promise wrappers), which was a fifth of a round's CPU
 * (README, Performance). Its waits before a retry end when the signal aborts.
 */
export interface ChatCompletionsClient {
  /** The answer's event stream as text, once the API has accepted the call (HTTP 2xx). */
  stream(params: ChatCompletionCreateParamsStreaming, signal: AbortSignal): Promise<AsyncIterable<string>>;
}

/** OpenAI's own API: where the openai SDK points without a base URL. */
export const OPENAI_API_URL = 'https://api.openai.com/v1';

export interface ChatCompletionsOptions {
  /** OPENAI_BASE_URL: where `/chat/completions` is. */
  baseUrl: string;
  apiKey: string;
  /** Calls after the first one fails with a retryable status or cannot connect. */
  maxRetries: number;
  http: ModelHttp;
}

/** The model API refused the call (`status`) or could not be reached (no status). */
export class ModelApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ModelApiError';
  }
}

// Enough of an error answer to quote it; an HTML error page from a proxy can be large.
const MAX_ERROR_BODY = 4096;

export function createChatCompletionsClient(options: ChatCompletionsOptions): ChatCompletionsClient {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const headers = {
    authorization: `Bearer ${options.apiKey}`,
    'content-type': 'application/json',
    accept: 'application/json',
  };
  // The tools' JSON Schemas are most of a call's body and the same from one round to the next: each list
  // is serialised once. Serialising them was half of the body's cost on a round's path, which runs cold.
  const toolsJson = oncePerObject((tools: object) => JSON.stringify(tools));
  const serialise = (params: ChatCompletionCreateParamsStreaming) => {
    const { tools } = params;
    if (!tools?.length) return JSON.stringify(params);
    return `${JSON.stringify({ ...params, tools: undefined }).slice(0, -1)},"tools":${toolsJson(tools)}}`;
  };
  return {
    async stream(params, signal) {
      const body = serialise(params);
      for (let retry = 0; ; retry++) {
        const retriesLeft = retry < options.maxRetries;
        let response: ModelHttpResponse;
        try {
          response = await options.http({ url, headers, body, signal });
        } catch (error) {
          if (signal.aborted || !retriesLeft) throw connectionError(error, signal);
          await sleep(retryDelayMs(retry), signal);
          continue;
        }
        if (response.status >= 200 && response.status < 300) return response.text();
        if (retriesLeft && isRetryableStatus(response.status, response.header('x-should-retry'))) {
          response.discard();
          await sleep(retryDelayMs(retry, response.header), signal);
          continue;
        }
        throw new ModelApiError(await describeStatus(response, url), response.status);
      }
    },
  };
}

function connectionError(error: unknown, signal: AbortSignal): Error {
  if (signal.aborted) return new Error('aborted while calling the model API');
  const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause : error).message : String(error);
  return new ModelApiError(`cannot reach the model API: ${reason}`);
}

/** "HTTP 429: Rate limit reached…", from the API's `{ "error": { "message" } }` when it sends one. */
async function describeStatus(response: ModelHttpResponse, url: string): Promise<string> {
  let text = '';
  try {
    for await (const piece of response.text()) {
      text += piece;
      if (text.length > MAX_ERROR_BODY) break;
    }
  } catch {
    // The status says enough on its own.
  }
  const detail = apiErrorMessage(text) ?? text.slice(0, MAX_ERROR_BODY).trim();
  // No such path: most often OPENAI_BASE_URL without its `/v1`, which only the URL called shows.
  const where = response.status === 404 || response.status === 405 ? ` at ${url} (check OPENAI_BASE_URL)` : '';
  return `model API answered HTTP ${response.status}${where}${detail ? `: ${detail}` : ''}`;
}

function apiErrorMessage(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message);
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

/** Waits `ms`, or rejects as soon as `signal` aborts: a deadline must not wait out a long Retry-After. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted while waiting to retry the model API'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
