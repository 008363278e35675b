import type { AnswerEvent, AnswerRequest, AnswerSource } from '../answer/answer-source.js';
import { detectLanguage } from '../answer/language.js';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import type { AnswerType } from '../sobot/schemas/response.js';
import { acceptTyped, checkClick } from './clicks.js';
import { choicesOffer, productsOffer } from './model-offers.js';
import { answerStepTool, conversationTools } from './model-tools.js';
import { advanceWorkflow, type EngineDeps } from './workflow-engine.js';
import { workflowMessages } from './workflow-messages.js';
import {
  advanceReply,
  handOverReply,
  nothingPendingReply,
  offerReply,
  reaskReply,
  type SessionKeeper,
} from './workflow-replies.js';
import type { Workflow, WorkflowSettings } from './workflow-schema.js';
import {
  ASSISTANT_PROCESS,
  type PendingOffer,
  type WorkflowSession,
  type WorkflowSessionStore,
} from './workflow-session.js';
import { withToolCalls, type ToolHandlers } from './workflow-tools.js';
import { fitsTextStep, givenByTrigger, nodeOf, promptOf, retryPrompt, triggerMatcher } from './workflow-steps.js';

export interface WorkflowSourceOptions {
  settings: WorkflowSettings;
  sessions: WorkflowSessionStore;
  /** Answers what no workflow handles: the knowledge base and/or the model. */
  inner?: AnswerSource | undefined;
  /** Whether `inner` reaches a model that can call tools. */
  modelAvailable: boolean;
  fetch: typeof fetch;
  clock: Clock;
  logger: Logger;
}

type Events = AsyncGenerator<AnswerEvent>;

/**
 * Runs task workflows around the other answer sources. In order: a click must answer the conversation's
 * pending step; a typed message may answer it too (with a model, the model judges; an exit phrase
 * leaves); a keyword trigger starts a workflow; otherwise the inner source answers, and the model may
 * start a workflow, offer buttons or cards, or hand over, through its tools.
 */
export function createWorkflowSource(options: WorkflowSourceOptions): AnswerSource {
  const { settings, sessions, inner, clock, logger } = options;
  const workflows = new Map(settings.workflows.map((workflow) => [workflow.id, workflow]));
  const triggers = settings.workflows.flatMap((workflow) =>
    workflow.triggers.map((trigger) => ({ workflow, matches: triggerMatcher(trigger) })),
  );
  const engine: EngineDeps = { settings, fetch: options.fetch, logger };
  // Built once: turning the argument schemas into JSON Schema costs more than the rest of a round's own work. The
  // one tool offered while a step waits (`toolsFor`) is built for that step's prompt and choices, round by round.
  const tools = conversationTools(settings.workflows);
  const idleMs = settings.idle_seconds * 1000;
  const keeper: SessionKeeper = {
    keep: (session) => sessions.save(session, clock.now(), clock.now() + idleMs),
    clear: (cid) => sessions.clear(cid),
    now: () => clock.now(),
  };

  async function* start(workflow: Workflow, request: AnswerRequest, signal: AbortSignal): Events {
    const { cid, channel } = request.conversation;
    logger.info('workflow started', { cid, workflow: workflow.id });
    const session = { cid, workflowId: workflow.id, nodeId: workflow.start, variables: {}, startedAt: clock.now() };
    const advance = await advanceWorkflow(engine, workflow, session, workflow.start, {
      cid,
      channel,
      visitorMessage: request.message.text,
      signal,
    });
    const given = advance.session && givenByTrigger(workflow, advance.session, workflows, request.message.text);
    if (given && advance.session?.pending) {
      logger.info('workflow step answered by its trigger', {
        cid,
        workflow: workflow.id,
        node: advance.session.nodeId,
      });
      yield* goOn(advance.session, { [advance.session.pending.variable]: given }, given, request, 'PROCESS', signal);
      return;
    }
    yield* advanceReply(keeper, advance, cid, 'PROCESS');
  }

  /** The pending step is answered: set its variables and go on from its `next`. */
  async function* proceed(
    session: WorkflowSession,
    variables: Record<string, string>,
    label: string,
    request: AnswerRequest,
    signal: AbortSignal,
  ): Events {
    if (session.workflowId === ASSISTANT_PROCESS) {
      // A choice or card the model offered: the model carries on from the visitor's pick, and the offer is done with.
      yield* answerThenForget({ ...request, click: undefined, message: { text: label } }, signal);
      return;
    }
    yield* goOn(session, variables, label, request, 'PROCESS_DOING', signal);
  }

  /** A workflow's waiting step is answered: its variables set, the run goes on from the step's `next`. */
  async function* goOn(
    session: WorkflowSession,
    variables: Record<string, string>,
    label: string,
    request: AnswerRequest,
    answerType: AnswerType,
    signal: AbortSignal,
  ): Events {
    const workflow = workflows.get(session.workflowId);
    const node = nodeOf(workflows, session);
    if (!workflow || !node) {
      await sessions.clear(session.cid);
      yield* nothingPendingReply(request);
      return;
    }
    const advance = await advanceWorkflow(
      engine,
      workflow,
      { ...session, variables: { ...session.variables, ...variables } },
      'next' in node ? node.next : undefined,
      { cid: session.cid, channel: request.conversation.channel, visitorMessage: label, signal },
    );
    yield* advanceReply(keeper, advance, session.cid, answerType);
  }

  /** A typed value checked as the waiting step checks it: an option, a card, an ask-text step's pattern or number. */
  const acceptForStep = (session: WorkflowSession, pending: PendingOffer, value: string) =>
    acceptTyped(pending, value, (typed) => fitsTextStep(workflows, session, typed));

  /** The texts in the visitor's language, or in the waiting step's when the message has none (a click). */
  const messagesFor = (request: AnswerRequest, pending: PendingOffer | undefined) =>
    workflowMessages(detectLanguage(request.message.text || (pending ? promptOf(pending) : '')));

  /** A typed answer the step refuses: its retry prompt (or the general one), and the step again. */
  const refuseTyped = (session: WorkflowSession, pending: PendingOffer, request: AnswerRequest) =>
    reaskReply(
      keeper,
      session,
      pending,
      retryPrompt(workflows, session) ?? messagesFor(request, pending).invalidAnswer,
    );

  function answerWithTools(request: AnswerRequest, signal: AbortSignal, waiting?: PendingOffer): Events {
    const events = inner ? inner.answer({ ...request, tools: toolsFor(waiting) }, signal) : unanswered();
    const cid = request.conversation.cid;
    const handlers: ToolHandlers = {
      workflows: settings.workflows,
      logger,
      startWorkflow: (workflow) => start(workflow, request, signal),
      offerChoices: (choices) => offerReply(keeper, cid, choicesOffer(offerId(), choices)),
      showProducts: (products) => offerReply(keeper, cid, productsOffer(offerId(), products)),
      handOver: (reason, summary) => handOverReply(keeper, request, reason, summary),
      answerStep: waiting
        ? async (value) => {
            const session = await sessions.get(cid, clock.now());
            if (!session?.pending) return undefined;
            // The model's reading of the message passes the step's checks as the visitor's own typing would,
            // or the step is asked again.
            const accepted = acceptForStep(session, session.pending, value);
            if (accepted) return proceed(session, accepted.variables, accepted.label, request, signal);
            return refuseTyped(session, session.pending, request);
          }
        : undefined,
    };
    return withToolCalls(events, handlers);
  }

  /**
   * The model answers; then the conversation's session is done with, unless a workflow reply kept or ended it
   * itself, or the round was cut off (the step or offer stays, and Sobot's retry answers it again).
   */
  async function* answerThenForget(
    request: AnswerRequest,
    signal: AbortSignal,
    waiting?: PendingOffer,
    onLeft?: () => void,
  ): Events {
    let workflowReplied = false;
    for await (const event of answerWithTools(request, signal, waiting)) {
      if (event.type === 'finish' && event.via === 'workflow') workflowReplied = true;
      yield event;
    }
    if (workflowReplied || signal.aborted) return;
    onLeft?.();
    await sessions.clear(request.conversation.cid);
  }

  function toolsFor(waiting: PendingOffer | undefined) {
    if (!options.modelAvailable) return undefined;
    if (!waiting) return tools;
    const choices =
      waiting.kind === 'choice'
        ? waiting.options
        : waiting.kind === 'cards'
          ? waiting.cards.map((card) => card.name)
          : undefined;
    return [answerStepTool(waiting.kind === 'cards' ? waiting.guide : waiting.prompt, choices)];
  }

  let offers = 0;
  const offerId = () => `offer-${clock.now().toString(36)}-${(offers++).toString(36)}`;

  return {
    name: 'workflow',
    answerType: inner?.answerType ?? 'PROCESS',
    async *answer(request, signal) {
      const cid = request.conversation.cid;
      const session = await sessions.get(cid, clock.now());
      const pending = session?.pending;

      if (request.click) {
        if (!session || !pending) {
          logger.info('click with nothing pending', { cid });
          yield* nothingPendingReply(request);
          return;
        }
        const check = checkClick(pending, request.click);
        if (!check.ok) {
          logger.warn('click refused', { cid, reason: check.reason, clicked: check.clicked });
          yield* reaskReply(keeper, session, pending, messagesFor(request, pending).invalidClick);
          return;
        }
        const label = check.button ? `${check.label} — ${check.button}` : check.label;
        yield* proceed(session, check.variables, label, request, signal);
        return;
      }

      const text = request.message.text.trim();
      if (session && pending && text) {
        if (settings.exit_phrases.some((phrase) => phrase.toLowerCase() === text.toLowerCase())) {
          logger.info('workflow left by exit phrase', { cid, workflow: session.workflowId });
          await sessions.clear(cid);
        } else {
          const accepted = acceptForStep(session, pending, text);
          if (accepted) {
            yield* proceed(session, accepted.variables, accepted.label, request, signal);
            return;
          }
          if (options.modelAvailable && inner) {
            // The model judges: it answers the step through `answer_step` (or the step is asked again), and
            // the reply is the workflow's; or it answers the visitor itself, who has then left the workflow.
            yield* answerThenForget(request, signal, pending, () =>
              logger.info('workflow left: the visitor asked something else', { cid, workflow: session.workflowId }),
            );
            return;
          }
          yield* refuseTyped(session, pending, request);
          return;
        }
      }

      const triggered = triggers.find((trigger) => trigger.matches(text));
      if (triggered) {
        yield* start(triggered.workflow, request, signal);
        return;
      }
      yield* answerWithTools(request, signal);
    },
  };
}

async function* unanswered(): Events {
  yield { type: 'unanswered' };
}
