import type { AnswerRequest, HandoverSummary, ProcessStep, TokenUsage, Turn } from '../answer/answer-source.js';
import { containFailures } from '../answer/contain-failures.js';
import { detectLanguage } from '../answer/language.js';
import type { KnowledgeRef } from '../knowledge/knowledge-entry.js';
import { createItemEncoder } from '../sobot/item-encoder.js';
import type { ThirdAlgorithmRequest } from '../sobot/schemas/request.js';
import type { ThirdAlgorithmResponseItem } from '../sobot/schemas/response.js';
import type { Logger } from '../runtime/logger.js';
import type { ConversationTurn, RoundCompletion } from '../store/round-store.js';
import type { RoundDeps } from './round-deps.js';
import { historyWindow } from './history-window.js';
import { owedCallbacks } from './owed-callbacks.js';
import { isShuttingDown } from '../runtime/shutting-down.js';
import { decideOutcome, type AnswerEnd } from './round-outcome.js';
import { channelOf, isDebugRobot, promptFacts, toUserMessage, type RoundIntent } from './visitor-message.js';

/** Sends one item to Sobot now (one SSE frame). */
export type EmitItem = (item: ThirdAlgorithmResponseItem) => Promise<void>;

export interface RoundRun {
  request: ThirdAlgorithmRequest;
  intent: RoundIntent;
  roundRowId: number;
  receivedAt: number;
  signal: AbortSignal;
  /** Streaming only. Non-streaming rounds answer with the returned items, or by `reply`. */
  emit?: EmitItem | undefined;
  /** Streaming only: sends what was emitted at once, not at the end of the event loop's turn. */
  flush?: (() => void) | undefined;
  /** Non-streaming, where the runtime can send a reply itself: sends the whole answer before the round is stored. */
  reply?: ((items: ThirdAlgorithmResponseItem[]) => void) | undefined;
  /** The round's lines carry the request's fields (its id). */
  logger: Logger;
  /**
   * The conversation's answered turns as the claim read them. They are this round's context unless it
   * waited for an earlier round of its conversation, whose answer they cannot hold; then it reads anew.
   */
  turnsAtClaim?: ConversationTurn[] | undefined;
}

/** A stored round, not yet reported: the caller reports it once its answer has gone out (`reportRound`). */
export interface FinishedRound {
  run: RoundRun;
  /** In their merged form, which is also what is stored. */
  items: ThirdAlgorithmResponseItem[];
  completion: RoundCompletion;
  /** When the first byte of the answer was handed over: the first streamed frame, or the whole JSON reply. */
  firstByteAt?: number | undefined;
}

/**
 * Answers one claimed round: streams the source's text out as it comes, then stores the round — before
 * the closing items go out, so a retry that follows the reply can always replay it. A whole JSON reply
 * sent by `reply` goes out just before the store instead, in the same synchronous step: no request is
 * read in between, and the visitor does not wait for the write.
 *
 * A conversation's rounds are answered one after another, in the order they came. Batch-test rounds
 * are not: they are independent questions Sobot fires together, and ordering them would only make
 * the batch take as long as all its answers one by one.
 */
export async function runRound(deps: RoundDeps, run: RoundRun): Promise<FinishedRound> {
  deps.answering.add(run.roundRowId);
  try {
    if (run.request.runtimeid) return await answerRound(deps, run);
    return await deps.conversations.run(run.request.ai_agent_cid, run.signal, (waited) =>
      answerRound(deps, waited ? { ...run, turnsAtClaim: undefined } : run),
    );
  } finally {
    deps.answering.delete(run.roundRowId);
  }
}

async function answerRound(deps: RoundDeps, run: RoundRun): Promise<FinishedRound> {
  const { request, intent } = run;
  let firstByteAt: number | undefined;
  const send = run.emit;
  const emit: EmitItem | undefined =
    send &&
    (async (item) => {
      await send(item);
      firstByteAt ??= deps.clock.now();
    });
  const encoder = createItemEncoder(request);
  const source = intent.kind === 'welcome' ? deps.sources.welcome : deps.sources.question;
  const provisionalLan = detectLanguage(intent.kind === 'message' ? intent.message.text : '', 'en');

  let text = '';
  let firstTokenAt: number | undefined;
  let end: AnswerEnd | undefined;
  let answerType = source?.answerType ?? 'UNKNOWN';
  const sources: KnowledgeRef[] = [];
  let step: ProcessStep | undefined;
  let handover: HandoverSummary | undefined;
  let peerRaw: string | undefined;
  if (source) {
    const answerRequest = await buildAnswerRequest(deps, run);
    for await (const event of containFailures(source.answer(answerRequest, run.signal), source.name, run.logger)) {
      if (event.type === 'text-delta') {
        firstTokenAt ??= deps.clock.now();
        text += event.text;
        answerType = event.answerType ?? answerType;
        if (emit) await emit(encoder.delta(event.text, provisionalLan, answerType));
      } else if (event.type === 'source') {
        sources.push(event.ref);
      } else if (event.type === 'step') {
        step = event.step;
      } else if (event.type === 'handover') {
        handover = event.summary;
      } else if (event.type === 'raw') {
        peerRaw = appendCapped(peerRaw, `${event.peer}: ${event.body}`);
      } else if (event.type !== 'tool-call') {
        end = event;
      }
    }
  }

  const outcome = decideOutcome({
    encoder,
    end,
    text,
    streaming: Boolean(emit),
    cutByShutdown: isShuttingDown(run.signal),
    sourceAnswerType: answerType,
    step,
    handover,
    provisionalLan,
    fallbackText: deps.fallbackText,
  });
  const { tail, ...result } = outcome;
  const finishedAt = deps.clock.now();
  const completion: RoundCompletion = {
    ...result,
    cid: request.ai_agent_cid,
    roundid: request.roundid,
    // An aborted round is answered again later (by Sobot's retry or by recovery); that answer calls back.
    callbacks: result.status === 'aborted' ? [] : owedCallbacks(request, result.items, result.answerText),
    sources,
    handover,
    peerRaw,
    ...(end && end.type !== 'unanswered'
      ? { answerSource: end.via ?? source?.name ?? 'none', model: end.model, ...usageColumns(end.usage) }
      : { answerSource: 'none' }),
    firstTokenMs: firstTokenAt === undefined ? undefined : firstTokenAt - run.receivedAt,
    firstByteMs: firstByteAt === undefined ? undefined : firstByteAt - run.receivedAt,
    latencyMs: finishedAt - run.receivedAt,
    at: finishedAt,
  };
  if (run.reply) {
    run.reply(result.items);
    firstByteAt = deps.clock.now();
    completion.firstByteMs = firstByteAt - run.receivedAt;
  }
  // Storing the round is the slowest step of its last turn: what was streamed does not wait for it.
  run.flush?.();
  await deps.store.completeRound(run.roundRowId, completion);
  if (completion.callbacks.length > 0) deps.callbacksQueued();
  if (emit) for (const item of tail) await emit(item);
  return { run, items: result.items, completion, firstByteAt };
}

async function buildAnswerRequest(deps: RoundDeps, run: RoundRun): Promise<AnswerRequest> {
  const { request, intent } = run;
  const conversation = { cid: request.ai_agent_cid, channel: channelOf(request) };
  const facts = promptFacts(request);
  const debug = isDebugRobot(request.robot_model);
  const streaming = Boolean(run.emit);
  if (intent.kind === 'welcome') return { conversation, message: { text: '' }, history: [], facts, debug, streaming };
  const history = await loadHistory(deps, run);
  // A copilot round of a batch test is a test question, answered however long it waits, like the others.
  const timely = Boolean(request.copilot) && !request.runtimeid;
  return { conversation, message: intent.message, click: intent.click, history, facts, debug, streaming, timely };
}

async function loadHistory(deps: RoundDeps, run: RoundRun): Promise<Turn[]> {
  const { since, limit } = historyWindow(deps.context, run.request, run.receivedAt);
  if (limit === 0) return [];
  const turns =
    run.turnsAtClaim ?? (await deps.store.recentTurns(run.request.ai_agent_cid, since, run.roundRowId, limit));
  return turns.map((turn) => ({
    user: toUserMessage(turn.msgType, turn.question, turn.showQuestion ?? undefined),
    answer: turn.answer,
  }));
}

function usageColumns(usage: TokenUsage | undefined) {
  return {
    promptTokens: usage?.promptTokens,
    completionTokens: usage?.completionTokens,
    totalTokens: usage?.totalTokens,
  };
}

// Peer replies are kept for diagnosis, not archived: enough to see what an undocumented API said.
const MAX_PEER_RAW = 16 * 1024;

function appendCapped(current: string | undefined, addition: string): string {
  const joined = current ? `${current}\n${addition}` : addition;
  return joined.length > MAX_PEER_RAW ? `${joined.slice(0, MAX_PEER_RAW)}…[truncated]` : joined;
}
