import { query, type JsonValue } from 'jsonpath-rfc9535';
import type { InterfaceDefinition } from './workflow-schema.js';
import { fillTemplate } from './template.js';
import { ownEntry } from '../util/own-entry.js';

/** Who is asking, as Sobot passes it with every enterprise-interface call. */
export interface ChannelContext {
  partnerId: string;
  params: Record<string, unknown>;
  multiParams: Record<string, unknown>;
  sourceEnum: string;
  robotId: string;
}

/** `reply`: the start of what the interface answered, apart from the error: customer data, redacted as the visitor's. */
export type InterfaceResult = { ok: true; json: JsonValue } | { ok: false; error: string; reply?: string | undefined };

/** The call, for its round: when the round ends (its caller left, the service stops), so does the call. */
export interface InterfaceCall {
  params: Record<string, string>;
  docId: string;
  signal: AbortSignal;
}

/**
 * Calls an enterprise interface the way Sobot's AI agent does ("Instructions for AI agent calling
 * enterprise interfaces"), so interfaces built for Sobot work unchanged: POST JSON with the fixed
 * parameters `partnerId`, `params` (a JSON string, as Sobot receives it), `multiParams`, `source`
 * (0 desktop, 2 app, 4 mobile web), `robotNo` and `docId`, plus the node's custom parameters.
 */
export async function callEnterpriseInterface(
  fetchImpl: typeof fetch,
  definition: InterfaceDefinition,
  call: InterfaceCall,
  channel: ChannelContext,
  variables: Record<string, string>,
): Promise<InterfaceResult> {
  const custom = Object.fromEntries(
    Object.entries(call.params).map(([key, value]) => [key, fillTemplate(value, variables)]),
  );
  const body = {
    partnerId: channel.partnerId,
    params: JSON.stringify(channel.params),
    multiParams: channel.multiParams,
    source: sourceCode(channel.sourceEnum),
    robotNo: channel.robotId,
    docId: call.docId,
    ...custom,
  };
  try {
    const response = await fetchImpl(definition.url, {
      method: 'POST',
      headers: { ...definition.headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.any([call.signal, AbortSignal.timeout(definition.timeout_ms)]),
      // Not followed: the configured headers (API keys) and the visitor's data would go wherever it points.
      redirect: 'manual',
    });
    const text = await response.text();
    if (!response.ok) return { ok: false, error: `HTTP ${response.status}`, reply: text.slice(0, 200) };
    try {
      return { ok: true, json: JSON.parse(text) as JsonValue };
    } catch {
      return { ok: false, error: 'reply is not JSON', reply: text.slice(0, 200) };
    }
  } catch (error) {
    if (call.signal.aborted) return { ok: false, error: 'the round ended before the reply came' };
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return { ok: false, error: timedOut ? `no reply within ${definition.timeout_ms} ms` : String(error) };
  }
}

/** The first value a JSONPath selects, as text (objects as JSON); undefined when it selects nothing. */
export function pick(json: JsonValue, expression: string): string | undefined {
  const [value] = query(json, expression);
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function pickAll(json: JsonValue, expression: string): JsonValue[] {
  return query(json, expression);
}

function sourceCode(sourceEnum: string): number | string {
  const codes: Record<string, number> = { pc: 0, app: 2, wap: 4, h5: 4 };
  return ownEntry(codes, sourceEnum.toLowerCase()) ?? sourceEnum;
}
