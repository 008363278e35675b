import type { AgentClient, AgentReply, SendOptions } from '../client/agent-client.js';
import { buttonClickFields, offersIn, type Offer } from '../client/offers.js';
import { SobotConversation, type SobotRequestBody } from '../client/sobot-conversation.js';

export interface ProbeOptions {
  client: AgentClient;
  /** The webhook token the URL needs, if any: the auth checks run only with it. */
  token?: string | undefined;
  /** An ordinary question the endpoint should answer. */
  question: string;
  /** Questions that may make the endpoint offer buttons or cards, tried in order until one does. */
  offerQuestions: string[];
}

export interface Exchange {
  request: SobotRequestBody;
  reply: AgentReply;
}

export interface OfferExchange extends Exchange {
  conversation: SobotConversation;
  offer: Offer;
}

const MAX_CLICKS_TO_AN_OFFER = 3;

/**
 * The requests the checks share, each sent once and remembered, so a run sends a handful of rounds however many
 * checks read them. Every check round is a fresh conversation with ids starting `check-`.
 */
export class ContractProbe {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(readonly options: ProbeOptions) {}

  conversation(stream = false): SobotConversation {
    return new SobotConversation({ stream, idPrefix: 'check', companyid: 'company-check' });
  }

  send(request: SobotRequestBody, options?: SendOptions): Promise<Exchange> {
    return this.options.client(request, options).then((reply) => ({ request, reply }));
  }

  /** The ordinary question, non-streaming. */
  json(): Promise<Exchange> {
    return this.once('json', () => this.send(this.conversation(false).text(this.options.question)));
  }

  /** The ordinary question, streaming. */
  stream(): Promise<Exchange> {
    return this.once('stream', () => this.send(this.conversation(true).text(this.options.question)));
  }

  /**
   * The first offer of `kind` the endpoint makes for the offer questions, in JSON or streaming rounds. Buttons on
   * the way are clicked (first choice), since cards often come a step or two into a workflow.
   */
  offer(kind: Offer['kind']): Promise<OfferExchange | undefined> {
    return this.once(`offer-${kind}`, async () => {
      for (const question of this.options.offerQuestions) {
        for (const stream of [false, true]) {
          const conversation = this.conversation(stream);
          let exchange = await this.send(conversation.text(question));
          for (let step = 0; step < MAX_CLICKS_TO_AN_OFFER; step++) {
            const offers = offersIn(exchange.reply.items);
            const offer = offers.find((candidate) => candidate.kind === kind);
            if (offer) return { ...exchange, conversation, offer };
            const buttons = offers.find((candidate) => candidate.kind === 'buttons');
            if (buttons?.kind !== 'buttons') break;
            exchange = await this.send(conversation.request(buttonClickFields(buttons, buttons.values[0]!)));
          }
        }
      }
      return undefined;
    });
  }

  private once<Value>(key: string, make: () => Promise<Value>): Promise<Value> {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as Promise<Value>;
  }
}
