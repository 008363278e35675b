import type { z } from 'zod';
import type { AnswerEvent, AnswerSource } from '../answer/answer-source.js';
import { parseJsonOrUndefined } from '../util/parse-json.js';
import type { TateatatePeer } from './peer-config.js';
import type { PeerDeps } from './peer-deps.js';
import { describe, jsonFrames, postToPeer } from './peer-http.js';
import { malformed } from './malformed-reply.js';
import { tateReplySchema, type tateSendSchema } from './tateatate-wire.js';

/** The documented "simple" Authorization: base64 of {timestamp, secretKey, signature = secretKey, alg}. */
function tateAuthorization(secretKey: string, nowSeconds: number): string {
  const token = { timestamp: nowSeconds, secretKey, signature: secretKey, alg: 'simple' };
  return Buffer.from(JSON.stringify(token)).toString('base64');
}

/**
 * A tate-a-tate agent as an answer source: `msg/send` in sync mode for non-streaming rounds and stream
 * mode for streaming ones; the `conversationId` it returns is kept per Sobot conversation and sent back.
 */
export function createTateatateSource(name: string, peer: TateatatePeer, deps: PeerDeps): AnswerSource {
  const url = `${peer.base_url.replace(/\/+$/, '')}/admin/v1/msg/send`;
  return {
    name,
    answerType: 'GENERAL',
    async *answer(request, signal): AsyncGenerator<AnswerEvent> {
      const via = `${name} (tate-a-tate)`;
      const cid = request.conversation.cid;
      const known = await deps.sessions.get(cid, name);
      const send: z.input<typeof tateSendSchema> = {
        conversationId: known?.session ?? '',
        msg: request.message.text,
        msgType: 1,
        parentMsgId: '0',
        reqModel: request.streaming ? 'stream' : 'sync',
        userAction: 'new',
      };
      const reply = await postToPeer(deps.fetch, url, {
        headers: {
          bot_id: peer.bot_id,
          Authorization: tateAuthorization(peer.secret_key, Math.floor(deps.clock.now() / 1000)),
        },
        body: send,
        timeoutMs: peer.timeout_ms,
        signal,
        stream: request.streaming,
      });
      if (!reply.ok) {
        yield { type: 'error', failure: reply.failure, via };
        return;
      }
      let conversationId: string | undefined;
      let text = '';
      let problem: string | undefined;
      const take = (frame: unknown, what: 'reply' | 'frame') => {
        const parsed = tateReplySchema.safeParse(frame);
        if (!parsed.success) {
          problem = malformed('tate-a-tate', what, parsed.error);
          return undefined;
        }
        const envelope = parsed.data;
        if (envelope.success === false) problem = `tate-a-tate refused: ${envelope.message ?? 'no reason given'}`;
        const message = envelope.object ?? envelope;
        conversationId = message.conversationId || conversationId;
        return message.msgContent ?? undefined;
      };

      const streamed = reply.response.headers.get('content-type')?.includes('json') === false;
      if (request.streaming && streamed && reply.response.body) {
        // Stream framing is undocumented: SSE or NDJSON frames, each an `object`-like message. A frame
        // repeating what came before (cumulative) yields only its new part; otherwise it is a delta.
        try {
          for await (const frame of jsonFrames(reply.response.body)) {
            yield { type: 'raw', peer: name, body: JSON.stringify(frame).slice(0, 2000) };
            const content = take(frame, 'frame');
            // A refusal or a frame of the wrong shape ends the answer: what follows it is not to be trusted.
            if (problem) break;
            if (content === undefined) continue;
            const delta = content.startsWith(text) ? content.slice(text.length) : content;
            text = content.startsWith(text) ? content : text + content;
            if (delta) yield { type: 'text-delta', text: delta };
          }
        } catch (error) {
          yield { type: 'error', failure: describe(error, { timeoutMs: peer.timeout_ms, signal }), via };
          return;
        }
      } else {
        const body = reply.body || (await reply.response.text());
        yield { type: 'raw', peer: name, body };
        const json = parseJsonOrUndefined(body);
        if (json === undefined) problem = 'tate-a-tate replied with something that is not JSON';
        else text = take(json, 'reply') ?? '';
        if (text) yield { type: 'text-delta', text };
      }
      if (conversationId && conversationId !== known?.session) {
        await deps.sessions.save(cid, name, { session: conversationId, registered: false }, deps.clock.now());
      }
      if (problem || !text) {
        yield {
          type: 'error',
          failure: { kind: 'upstream', message: problem ?? 'tate-a-tate replied with no text' },
          via,
        };
        return;
      }
      yield { type: 'finish', answerType: 'GENERAL', via };
    },
  };
}
