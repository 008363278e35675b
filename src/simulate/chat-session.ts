import type { AgentClient, AgentReply } from '../client/agent-client.js';
import type { CallbackReceiver, ReceivedCallback } from '../client/callback-receiver.js';
import { buttonClickFields, cardClickFields, cardTitle, offersIn, type Offer } from '../client/offers.js';
import type { SobotConversation, SobotRequestBody } from '../client/sobot-conversation.js';
import type { ThirdAlgorithmResponseItem } from '../sobot/schemas/response.js';

/** What a chat front end shows; the terminal is one, tests are another. */
export interface ChatView {
  /** Text as it streams in (each MESSAGE's `llm_answer`). */
  text(delta: string): void;
  /** Every item, for `--raw`. */
  item(item: ThirdAlgorithmResponseItem): void;
  /** The round is over: its closing item and what it offers to click. */
  answered(turn: Turn): void;
  callback(callback: ReceivedCallback): void;
  /** The endpoint broke the contract or failed; the chat goes on. */
  problem(message: string): void;
}

export interface Choice {
  offer: Offer;
  /** The button value's or card's position in its offer. */
  index: number;
  label: string;
}

export interface Turn {
  request: SobotRequestBody;
  reply: AgentReply;
  /** The answer's text: streamed deltas joined, or the copilot callback's text. */
  text: string;
  closing?: ThirdAlgorithmResponseItem | undefined;
  offers: Offer[];
}

const COPILOT_WAIT_MS = 90_000;

/**
 * A chat with an agent endpoint driven as Sobot drives it. Holds the conversation (ids, rounds) and the last
 * answer's offers, so `click(n)` sends the exact click payload for choice n.
 */
export class ChatSession {
  private lastOffers: Offer[] = [];
  /** Batch rounds sent; their callbacks may still be on the way when the visitor leaves. */
  private readonly batchRounds: string[] = [];

  constructor(
    private readonly client: AgentClient,
    private conversation: SobotConversation,
    private readonly view: ChatView,
    private readonly receiver?: CallbackReceiver | undefined,
  ) {}

  get cid(): string {
    return this.conversation.cid;
  }

  /** The choices a number picks: each button value, each card. */
  get choices(): Choice[] {
    return this.lastOffers.flatMap((offer): Choice[] =>
      offer.kind === 'buttons'
        ? offer.values.map((value, index) => ({ offer, index, label: value }))
        : offer.cards.map((card, index) => ({ offer, index, label: cardTitle(card) })),
    );
  }

  newConversation(conversation: SobotConversation): void {
    this.conversation = conversation;
    this.lastOffers = [];
  }

  say(question: string): Promise<Turn> {
    return this.exchange(this.conversation.text(question));
  }

  sendImage(imageUrl: string, caption?: string): Promise<Turn> {
    return this.exchange(this.conversation.image(imageUrl, caption));
  }

  welcome(): Promise<Turn> {
    return this.exchange(this.conversation.welcome());
  }

  /** Picks choice `number` (1-based, as listed by `choices`); for a card, optionally one of its buttons. */
  click(number: number, cardButton?: string): Promise<Turn> {
    const choice = this.choices[number - 1];
    if (!choice) throw new RangeError(`there is no choice ${number}; ${this.choices.length} offered`);
    const fields =
      choice.offer.kind === 'buttons'
        ? buttonClickFields(choice.offer, choice.offer.values[choice.index]!)
        : cardClickFields(choice.offer, choice.index, cardButton);
    return this.exchange(this.conversation.request(fields));
  }

  /** Waits (up to `timeoutMs` in all) for the batch callbacks of the rounds sent so far, so none is missed. */
  async settle(timeoutMs: number): Promise<void> {
    const receiver = this.receiver;
    if (!receiver) return;
    const deadline = Date.now() + timeoutMs;
    for (const roundid of this.batchRounds) {
      const matches = (callback: ReceivedCallback) =>
        callback.kind === 'batch' && callback.items.some((item) => item.roundid === roundid);
      if (!(await receiver.waitFor(matches, Math.max(0, deadline - Date.now())))) {
        this.view.problem(`no batch callback for ${roundid}`);
      }
    }
  }

  private async exchange(request: SobotRequestBody): Promise<Turn> {
    if (request.runtimeid) this.batchRounds.push(request.roundid);
    let text = '';
    const onItem = (item: ThirdAlgorithmResponseItem) => {
      this.view.item(item);
      if (item.robot_answer_message_type === 'MESSAGE' && item.llm_answer) {
        text += item.llm_answer;
        this.view.text(item.llm_answer);
      }
    };
    const reply = await this.client(request, { onItem: request.req_stream ? onItem : undefined });
    if (!request.req_stream) reply.items.forEach(onItem);
    for (const problem of reply.problems) this.view.problem(problem);
    if (reply.status >= 400 || (reply.envelope && reply.envelope.code !== '000000')) {
      this.view.problem(
        `HTTP ${reply.status}${reply.envelope ? ` ${reply.envelope.code} ${reply.envelope.message}` : ''}`,
      );
    }
    let items = reply.items;
    if (request.copilot && this.receiver) {
      const callback = await this.receiver.waitFor(
        (received) => received.kind === 'copilot' && received.items.some((item) => item.roundid === request.roundid),
        COPILOT_WAIT_MS,
      );
      if (!callback) this.view.problem(`no copilot callback for ${request.roundid} within ${COPILOT_WAIT_MS / 1000} s`);
      items = callback?.items ?? [];
      items.forEach(onItem);
    }
    const closing = items.findLast((item) => item.robot_answer_message_type !== 'MESSAGE');
    if (closing?.llm_answer && !text) text = closing.llm_answer;
    this.lastOffers = offersIn(items);
    const turn = { request, reply, text, closing, offers: this.lastOffers };
    this.view.answered(turn);
    return turn;
  }
}
