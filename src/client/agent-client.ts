import { createParser } from 'eventsource-parser';
import { z } from 'zod';
import {
  envelopeSchema,
  thirdAlgorithmResponseItemSchema,
  type ThirdAlgorithmResponseItem,
} from '../sobot/schemas/response.js';
import type { SobotRequestBody } from './sobot-conversation.js';

/**
 * The reply envelope as a caller may rely on it: the document spells the code `ret_code` in its tables and
 * `retCode` in its example, so an endpoint sending either pair conforms. Items are checked one by one.
 */
const replyEnvelopeSchema = envelopeSchema
  .partial()
  .extend({ data: z.array(z.unknown()).nullish() })
  .refine((envelope) => envelope.ret_code !== undefined || envelope.retCode !== undefined, {
    message: 'has neither ret_code nor retCode',
  })
  .transform((envelope) => ({
    code: (envelope.ret_code ?? envelope.retCode)!,
    message: envelope.ret_msg ?? envelope.retMsg ?? '',
    data: envelope.data ?? undefined,
  }));
export type ReplyEnvelope = z.output<typeof replyEnvelopeSchema>;

/** Where a third-party agent answers, and the token Sobot's URL carries for it (if any). */
export interface AgentEndpoint {
  url: string;
  token?: string | undefined;
}

/** One exchange as Sobot would see it: every item (schema-checked), or why the reply broke the contract. */
export interface AgentReply {
  status: number;
  contentType: string | null;
  /** Items in arrival order; for JSON replies, the envelope's `data`. */
  items: ThirdAlgorithmResponseItem[];
  envelope?: ReplyEnvelope | undefined;
  /** The raw body when it was not what the contract promises. */
  rawBody?: string | undefined;
  /** Contract violations found while reading the reply: unparsable frames, items failing the schema. */
  problems: string[];
  /** Milliseconds from sending to the first item (stream) or the whole body (JSON), and to the end. */
  firstItemMs?: number | undefined;
  totalMs: number;
}

export interface SendOptions {
  signal?: AbortSignal | undefined;
  /** Called as each streamed item arrives, so a chat can show text while it streams. */
  onItem?: ((item: ThirdAlgorithmResponseItem) => void) | undefined;
  /** Extra headers, e.g. to probe how the endpoint treats a wrong token. */
  headers?: Record<string, string> | undefined;
  /** Send this string as the body instead of the request's JSON (for malformed-input probes). */
  rawBody?: string | undefined;
  /** Leave the token out, to see that the endpoint refuses. */
  withoutToken?: boolean | undefined;
}

export type AgentClient = (request: SobotRequestBody, options?: SendOptions) => Promise<AgentReply>;

/** Plays Sobot's side of the webhook: POSTs a ThirdAlgorithmReqVo and reads the reply the way Sobot must. */
export function createAgentClient(endpoint: AgentEndpoint, fetchImpl: typeof fetch = fetch): AgentClient {
  return async (request, options = {}) => {
    const url = new URL(endpoint.url);
    if (endpoint.token && !options.withoutToken) url.searchParams.set('token', endpoint.token);
    const startedAt = performance.now();
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: options.rawBody ?? JSON.stringify(request),
      signal: options.signal,
    });
    const contentType = response.headers.get('content-type');
    const reply: AgentReply = { status: response.status, contentType, items: [], problems: [], totalMs: 0 };
    if (contentType?.includes('text/event-stream')) {
      await readStream(response, reply, options.onItem, () => performance.now() - startedAt);
    } else {
      readEnvelope(await response.text(), reply);
      reply.firstItemMs = performance.now() - startedAt;
    }
    reply.totalMs = performance.now() - startedAt;
    return reply;
  };
}

async function readStream(
  response: Response,
  reply: AgentReply,
  onItem: SendOptions['onItem'],
  elapsed: () => number,
): Promise<void> {
  const parser = createParser({
    onEvent(event) {
      const item = parseItem(event.data, reply.problems, `SSE frame ${reply.items.length + 1}`);
      if (!item) return;
      reply.firstItemMs ??= elapsed();
      reply.items.push(item);
      onItem?.(item);
    },
  });
  if (!response.body) return;
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    parser.feed(decoder.decode(chunk.value, { stream: true }));
  }
  parser.feed(decoder.decode());
}

function readEnvelope(body: string, reply: AgentReply): void {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    reply.rawBody = body;
    reply.problems.push(`body is not JSON (content-type ${reply.contentType ?? 'none'})`);
    return;
  }
  const parsed = replyEnvelopeSchema.safeParse(json);
  if (!parsed.success) {
    reply.rawBody = body;
    reply.problems.push(`envelope does not match the contract: ${describeIssues(parsed.error.issues)}`);
    return;
  }
  reply.envelope = parsed.data;
  (parsed.data.data ?? []).forEach((data, index) => {
    const item = parseItem(data, reply.problems, `data[${index}]`);
    if (item) reply.items.push(item);
  });
}

function parseItem(data: unknown, problems: string[], where: string): ThirdAlgorithmResponseItem | undefined {
  let json = data;
  if (typeof data === 'string') {
    try {
      json = JSON.parse(data);
    } catch {
      problems.push(`${where} is not JSON: ${data.slice(0, 80)}`);
      return undefined;
    }
  }
  const parsed = thirdAlgorithmResponseItemSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  problems.push(`${where} is not a ThirdAlgorithmRespVo: ${describeIssues(parsed.error.issues)}`);
  return undefined;
}

function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
