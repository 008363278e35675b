import { createHash, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { AnswerEvent, AnswerSource } from '../answer/answer-source.js';
import { parseJsonOrUndefined } from '../util/parse-json.js';
import { MAX_CHOICE_LABEL, TOOL_NAMES, type offerChoicesArguments } from '../workflows/model-tools.js';
import type { laiyeGetReplySchema, laiyeUsersMutateSchema } from './laiye-wire.js';
import type { LaiyePeer } from './peer-config.js';
import type { PeerDeps } from './peer-deps.js';
import { postToPeer } from './peer-http.js';

/**
 * Laiye's open-platform headers. The header names are documented; the signature, hex SHA-1 of
 * nonce + timestamp + secret, is the one Laiye's public SDKs use (inferred for this API version).
 */
function laiyeAuthHeaders(pubkey: string, secret: string, nowSeconds: number, nonce: string) {
  const timestamp = String(nowSeconds);
  return {
    'Api-Auth-pubkey': pubkey,
    'Api-Auth-nonce': nonce,
    'Api-Auth-timestamp': timestamp,
    'Api-Auth-sign': createHash('sha1')
      .update(nonce + timestamp + secret)
      .digest('hex'),
  };
}

/**
 * A Laiye Chatbot agent as an answer source: getReply on the draft bot (SKETCH) for Sobot's debug
 * robots and the published one (PRODUCT) otherwise. Laiye has no streaming; the reply goes out whole.
 */
export function createLaiyeSource(name: string, peer: LaiyePeer, deps: PeerDeps): AnswerSource {
  const base = `${peer.endpoint.replace(/\/+$/, '')}/chatbot/v1alpha1/agents/${peer.agent_id}/channels/${peer.channel_id}`;
  const headers = () => laiyeAuthHeaders(peer.pubkey, peer.secret, Math.floor(deps.clock.now() / 1000), randomUUID());
  return {
    name,
    answerType: 'GENERAL',
    async *answer(request, signal): AsyncGenerator<AnswerEvent> {
      const username = request.conversation.cid;
      const via = `${name} (laiye)`;
      if (peer.create_users) await registerOnce(name, peer, deps, base, headers, username, signal);

      const environment = peer.environments ? `/environments/${request.debug ? 'SKETCH' : 'PRODUCT'}` : '';
      const ask: z.input<typeof laiyeGetReplySchema> = { username, query: { text: { content: request.message.text } } };
      const reply = await postToPeer(deps.fetch, `${base}${environment}/getReply`, {
        headers: headers(),
        body: ask,
        timeoutMs: peer.timeout_ms,
        signal,
      });
      if (!reply.ok) {
        yield { type: 'error', failure: reply.failure, via };
        return;
      }
      yield { type: 'raw', peer: name, body: reply.body };
      const json = parseJsonOrUndefined(reply.body);
      const texts = collectTexts(json);
      const quickReplies = collectQuickReplies(json);
      if (texts.length === 0) {
        yield { type: 'error', failure: { kind: 'upstream', message: 'Laiye replied with no text' }, via };
        return;
      }
      const text = texts.join('\n');
      yield { type: 'text-delta', text };
      // Quick replies become buttons through the same checked path as the model's offer_choices, whose limits
      // (2–6 options of at most 40 characters) would refuse the whole offer for one long label: those are left out.
      const options = quickReplies.filter((label) => label.trim().length <= MAX_CHOICE_LABEL).slice(0, 6);
      if (options.length >= 2) {
        const offer: z.input<typeof offerChoicesArguments> = { prompt: '', options };
        yield {
          type: 'tool-call',
          id: 'laiye-quick-replies',
          name: TOOL_NAMES.offerChoices,
          arguments: JSON.stringify(offer),
        };
      }
      yield { type: 'finish', answerType: 'GENERAL', via };
    },
  };
}

async function registerOnce(
  name: string,
  peer: LaiyePeer,
  deps: PeerDeps,
  base: string,
  headers: () => Record<string, string>,
  username: string,
  signal: AbortSignal,
) {
  const known = await deps.sessions.get(username, name);
  if (known?.registered) return;
  const create: z.input<typeof laiyeUsersMutateSchema> = {
    operations: [{ create: { username, nickname: username, avatarUrl: '' } }],
  };
  const created = await postToPeer(deps.fetch, `${base}/users/mutate`, {
    headers: headers(),
    body: create,
    timeoutMs: peer.timeout_ms,
    signal,
  });
  // Replies work without a registered user; a failure here only costs Laiye-side logging.
  if (!created.ok) deps.logger.warn('laiye user registration failed', { peer: name, error: created.failure.message });
  else await deps.sessions.save(username, name, { registered: true }, deps.clock.now());
}

/** Every `text.content` in the reply, in order (the reply's shape is not public). */
function collectTexts(json: unknown): string[] {
  const texts: string[] = [];
  const walk = (value: unknown, key?: string) => {
    if (Array.isArray(value)) value.forEach((item) => walk(item));
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      const text = record.text;
      if (
        key !== 'quickReplies' &&
        text &&
        typeof text === 'object' &&
        typeof (text as Record<string, unknown>).content === 'string'
      ) {
        const content = ((text as Record<string, unknown>).content as string).trim();
        if (content) texts.push(content);
      }
      for (const [childKey, child] of Object.entries(record)) if (!/quick_?repl/i.test(childKey)) walk(child, childKey);
    }
  };
  walk(json);
  return texts;
}

/** Quick replies, under any key like quickReplies/quick_replies, as strings or {content|title|text|name}. */
function collectQuickReplies(json: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        if (/quick_?repl/i.test(key) && Array.isArray(child)) {
          for (const item of child) {
            const label = typeof item === 'string' ? item : labelOf(item);
            if (label) found.push(label);
          }
        } else walk(child);
      }
    }
  };
  walk(json);
  return [...new Set(found)];
}

function labelOf(item: unknown): string | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const record = item as Record<string, unknown>;
  for (const key of ['content', 'title', 'text', 'name']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (value && typeof value === 'object' && typeof (value as Record<string, unknown>).content === 'string') {
      return ((value as Record<string, unknown>).content as string).trim();
    }
  }
  return undefined;
}
