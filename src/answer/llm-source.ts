import type {
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { ModelApiError, type ChatCompletionsClient } from './chat-completions-client.js';
import type {
  AnswerEvent,
  AnswerFailure,
  AnswerRequest,
  AnswerSource,
  TokenUsage,
  ToolDefinition,
  UserMessage,
} from './answer-source.js';
import { oncePerObject } from '../util/once-per-object.js';
import { serverSentEvents } from './server-sent-events.js';
import { renderSystemPrompt } from './system-prompt.js';
import { abortedFailure } from './aborted-failure.js';

export interface LlmSourceOptions {
  client: ChatCompletionsClient;
  model: string;
  /** Used for Sobot debug rounds when set; otherwise debug rounds use `model`. */
  debugModel?: string | undefined;
  systemPrompt: string;
  debugSystemPrompt?: string | undefined;
  firstTokenTimeoutMs: number;
  totalTimeoutMs: number;
}

/** Any OpenAI-compatible chat-completions API, always streamed so the first token can go out at once. */
export function createLlmSource(options: LlmSourceOptions): AnswerSource {
  // Most rounds offer the app's one list of tools: wrapped once, it reaches the client as the same array
  // each time, and the client serialises it once (chat-completions-client).
  const wrap = oncePerObject((tools: ToolDefinition[]): ChatCompletionTool[] =>
    tools.map((tool) => ({ type: 'function', function: tool })),
  );
  return {
    name: 'llm',
    answerType: 'GENERAL',
    answer: (request, signal) => streamAnswer(options, wrap, request, signal),
  };
}

async function* streamAnswer(
  options: LlmSourceOptions,
  wrap: (tools: ToolDefinition[]) => ChatCompletionTool[],
  request: AnswerRequest,
  signal: AbortSignal,
): AsyncGenerator<AnswerEvent> {
  const model = (request.debug && options.debugModel) || options.model;
  const template = (request.debug && options.debugSystemPrompt) || options.systemPrompt;
  const messages = buildMessages(renderSystemPrompt(template, request.facts, request.grounding), request);

  const controller = new AbortController();
  let timedOut: AnswerFailure | undefined;
  const expire = (message: string) => () => {
    timedOut = { kind: 'timeout', message };
    controller.abort();
  };
  const onAbort = () => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const totalTimer = setTimeout(
    expire(`no complete answer within ${options.totalTimeoutMs} ms`),
    options.totalTimeoutMs,
  );
  const firstTokenTimer = setTimeout(
    expire(`no first token within ${options.firstTokenTimeoutMs} ms`),
    options.firstTokenTimeoutMs,
  );

  let usage: TokenUsage | undefined;
  let producedText = false;
  let answered = false;
  const toolCalls: Array<{ id: string; name: string; arguments: string }> = [];
  try {
    if (signal.aborted) throw new Error('aborted before the call');
    const tools = request.tools && wrap(request.tools);
    const body = await options.client.stream(
      {
        model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
        ...(tools?.length ? { tools } : {}),
      },
      controller.signal,
    );
    read: for await (const events of serverSentEvents(body))
      for (const message of events) {
        // The answer is whole; what follows is the body's end, which the transport reads away on its own.
        if (message.data.startsWith('[DONE]')) {
          answered = true;
          break read;
        }
        const chunk = JSON.parse(message.data) as ChatCompletionChunk & { error?: { message?: string } };
        if (message.event === 'error' || chunk.error) {
          throw new Error(`the model reported an error mid-stream: ${chunk.error?.message ?? message.data}`);
        }
        if (chunk.usage) {
          usage = {
            promptTokens: chunk.usage.prompt_tokens,
            completionTokens: chunk.usage.completion_tokens,
            totalTokens: chunk.usage.total_tokens,
          };
        }
        const delta = chunk.choices?.[0]?.delta;
        // Tool calls stream in pieces, keyed by index: the name first, then the arguments' JSON in parts.
        for (const part of delta?.tool_calls ?? []) {
          const call = (toolCalls[part.index] ??= { id: part.id ?? `call_${part.index}`, name: '', arguments: '' });
          if (part.function?.name) call.name += part.function.name;
          if (part.function?.arguments) call.arguments += part.function.arguments;
        }
        const text = delta?.content;
        // A tool call counts as the model answering, as text does.
        if (text || toolCalls.length > 0) clearTimeout(firstTokenTimer);
        if (!text) continue;
        producedText = true;
        yield { type: 'text-delta', text };
      }
    if (controller.signal.aborted) throw new Error('stream aborted');
    answered = true;
    for (const call of toolCalls) if (call) yield { type: 'tool-call', ...call };
    if (!producedText && toolCalls.length === 0) {
      yield {
        type: 'error',
        failure: { kind: 'empty', message: 'the model returned no text' },
        model,
        usage,
        via: 'llm',
      };
      return;
    }
    yield { type: 'finish', answerType: 'GENERAL', model, usage, via: 'llm' };
  } catch (error) {
    const failure: AnswerFailure = signal.aborted ? abortedFailure(signal) : (timedOut ?? describeFailure(error));
    yield { type: 'error', failure, model, usage, via: 'llm' };
  } finally {
    clearTimeout(totalTimer);
    clearTimeout(firstTokenTimer);
    signal.removeEventListener('abort', onAbort);
    // Stops the HTTP request when the consumer leaves early or an error ended the loop. (Not after a
    // whole answer: aborting costs an exception object, and there is nothing left to stop.)
    if (!answered) controller.abort();
  }
}

function describeFailure(error: unknown): AnswerFailure {
  if (error instanceof ModelApiError) return { kind: 'upstream', message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'upstream', message: `model stream failed: ${message}` };
}

function buildMessages(systemPrompt: string, request: AnswerRequest): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [];
  if (systemPrompt) messages.push({ role: 'system', content: systemPrompt });
  for (const turn of request.history) {
    messages.push({ role: 'user', content: userContent(turn.user) });
    messages.push({ role: 'assistant', content: turn.answer });
  }
  messages.push({ role: 'user', content: userContent(request.message) });
  return messages;
}

function userContent(message: UserMessage): string | ChatCompletionContentPart[] {
  if (!message.imageUrl) return message.text;
  const parts: ChatCompletionContentPart[] = [];
  if (message.text) parts.push({ type: 'text', text: message.text });
  parts.push({ type: 'image_url', image_url: { url: message.imageUrl } });
  return parts;
}
