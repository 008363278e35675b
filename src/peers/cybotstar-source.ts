import type { z } from 'zod';
import type { AnswerEvent, AnswerFailure, AnswerSource } from '../answer/answer-source.js';
import { parseJsonOrUndefined } from '../util/parse-json.js';
import { readableAnswer } from './cybotstar-answer.js';
import {
  CYBOTSTAR_OK,
  cybotstarFrameSchema,
  cybotstarReplySchema,
  type cybotstarAskSchema,
  type cybotstarHeartbeatSchema,
  type cybotstarSocketAskSchema,
} from './cybotstar-wire.js';
import type { CybotstarPeer } from './peer-config.js';
import type { PeerDeps } from './peer-deps.js';
import { postToPeer } from './peer-http.js';
import { malformed } from './malformed-reply.js';
import { abortedFailure } from '../answer/aborted-failure.js';

type Ask = z.input<typeof cybotstarAskSchema>;

/**
 * A CybotStar (Agent Studio) robot as an answer source: the HTTP dialog for non-streaming rounds, the
 * WebSocket dialog (the only streaming one) for streaming rounds. `segment_code` is kept per Sobot
 * conversation when CybotStar hands one out, so its dialog history follows the Sobot conversation.
 */
export function createCybotstarSource(name: string, peer: CybotstarPeer, deps: PeerDeps): AnswerSource {
  const domain = peer.domain.replace(/\/+$/, '');
  const credentials = { 'cybertron-robot-key': peer.robot_key, 'cybertron-robot-token': peer.robot_token };
  return {
    name,
    answerType: 'GENERAL',
    async *answer(request, signal): AsyncGenerator<AnswerEvent> {
      const via = `${name} (cybotstar)`;
      const cid = request.conversation.cid;
      const segment = (await deps.sessions.get(cid, name))?.session;
      const ask: Ask = { username: cid, question: request.message.text, ...(segment ? { segment_code: segment } : {}) };
      let segmentSeen: string | undefined;
      let outcome: AnswerFailure | undefined;
      let answered = false;
      const events = request.streaming ? viaWebSocket(ask, signal) : viaHttp(ask);
      for await (const event of events) {
        if (event.type === 'segment') segmentSeen = event.segment;
        else if (event.type === 'failure') outcome = event.failure;
        else {
          if (event.type === 'text-delta') answered = true;
          yield event;
        }
      }
      if (segmentSeen && segmentSeen !== segment) {
        await deps.sessions.save(cid, name, { session: segmentSeen, registered: false }, deps.clock.now());
      }
      if (outcome || !answered) {
        yield {
          type: 'error',
          failure: outcome ?? { kind: 'upstream', message: 'CybotStar replied with no answer' },
          via,
        };
        return;
      }
      yield { type: 'finish', answerType: 'GENERAL', via };

      async function* viaHttp(body: Ask): AsyncGenerator<PeerEvent> {
        const reply = await postToPeer(deps.fetch, `${domain}/openapi/v1/conversation/dialog/`, {
          headers: credentials,
          body,
          timeoutMs: peer.timeout_ms,
          signal,
        });
        if (!reply.ok) return yield { type: 'failure', failure: reply.failure };
        yield { type: 'raw', peer: name, body: reply.body };
        const parsed = cybotstarReplySchema.safeParse(parseJsonOrUndefined(reply.body));
        if (!parsed.success) return yield upstream(malformed('CybotStar', 'reply', parsed.error));
        const json = parsed.data;
        if (json.code !== CYBOTSTAR_OK) return yield upstream(`CybotStar answered ${json.code} ${json.message ?? ''}`);
        if (json.data?.segment_code) yield { type: 'segment', segment: json.data.segment_code };
        const text = readableAnswer(json.data?.answer ?? json.data?.Answer);
        if (text) yield { type: 'text-delta', text };
      }
    },
  };

  /** The WebSocket dialog, as events: chunks (index ≥ 0) as they come, side frames (index < 0) kept raw. */
  function viaWebSocket(ask: Ask, signal: AbortSignal): AsyncGenerator<PeerEvent> {
    const queue: PeerEvent[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    const push = (event: PeerEvent) => {
      queue.push(event);
      wake?.();
    };
    const finish = (failure?: AnswerFailure) => {
      if (done) return;
      if (failure) push({ type: 'failure', failure });
      done = true;
      clearInterval(heartbeat);
      clearTimeout(deadline);
      socket.close();
      wake?.();
    };
    const wsUrl = `${domain.replace(/^http/, 'ws')}/openapi/v2/ws/dialog/`;
    const socket = deps.connectWebSocket(wsUrl);
    const ping: z.input<typeof cybotstarHeartbeatSchema> = { type: 'heartbeat', data: 'ping' };
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    const deadline = setTimeout(
      () => finish({ kind: 'timeout', message: `no complete answer within ${peer.timeout_ms} ms` }),
      peer.timeout_ms,
    );
    let streamedText = false;
    const first: z.input<typeof cybotstarSocketAskSchema> = { ...credentials, ...ask };
    socket.onOpen(() => {
      if (done) return;
      socket.send(JSON.stringify(first));
      // Only once open: a send while the handshake is under way throws, and in a timer that ends the process.
      heartbeat = setInterval(() => socket.send(JSON.stringify(ping)), peer.heartbeat_ms);
    });
    socket.onEnd((reason) => finish(streamedText ? undefined : { kind: 'upstream', message: reason }));
    socket.onMessage((data) => {
      // Closing takes a round trip: frames already on their way after the end say nothing more.
      if (done) return;
      const json = parseJsonOrUndefined(data);
      // Text that is not a JSON object is no frame: the heartbeat's `pong` may come bare, or as a JSON string.
      if (json === null || typeof json !== 'object' || Array.isArray(json)) return;
      const parsed = cybotstarFrameSchema.safeParse(json);
      if (parsed.success && (parsed.data.type === 'heartbeat' || parsed.data.data === 'pong')) return;
      push({ type: 'raw', peer: name, body: data.slice(0, 2000) });
      if (!parsed.success) return finish({ kind: 'upstream', message: malformed('CybotStar', 'frame', parsed.error) });
      const frame = parsed.data;
      if (frame.segment_code) push({ type: 'segment', segment: frame.segment_code });
      // Negative indexes are side data (question accepted, task info, search hits, images); their
      // acknowledgements may carry 400000 without being errors.
      if (frame.index < 0) return;
      if (frame.code !== undefined && frame.code !== CYBOTSTAR_OK) {
        return finish({ kind: 'upstream', message: `CybotStar answered ${frame.code} ${frame.message ?? ''}`.trim() });
      }
      if (frame.finish === 'y') {
        // The last frame holds the whole answer; send it only if no chunks came before it.
        if (!streamedText) {
          const text = readableAnswer(frame.data);
          if (text) push({ type: 'text-delta', text });
          streamedText = Boolean(text);
        }
        return finish();
      }
      if (typeof frame.data === 'string' && frame.data) {
        streamedText = true;
        push({ type: 'text-delta', text: frame.data });
      }
    });
    const abort = () => finish(abortedFailure(signal));
    signal.addEventListener('abort', abort, { once: true });
    return (async function* () {
      try {
        while (!done || queue.length > 0) {
          if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          while (queue.length > 0) yield queue.shift()!;
        }
      } finally {
        // The consumer stopped early (or the round ended): close the socket either way.
        signal.removeEventListener('abort', abort);
        finish();
      }
    })();
  }
}

type PeerEvent = AnswerEvent | { type: 'segment'; segment: string } | { type: 'failure'; failure: AnswerFailure };

const upstream = (message: string): PeerEvent => ({
  type: 'failure',
  failure: { kind: 'upstream', message: message.trim() },
});
