import { randomUUID } from 'node:crypto';

/** A ThirdAlgorithmReqVo as the client sends it: the document's snake_case fields, plus anything extra. */
export type SobotRequestBody = Record<string, unknown> & { roundid: string; ai_agent_cid: string };

export interface ConversationOptions {
  robotid?: string | undefined;
  companyid?: string | undefined;
  stream?: boolean | undefined;
  copilot?: boolean | undefined;
  /** Sobot's debug model (`THIRD_DEBUG`) instead of the standard one. */
  debug?: boolean | undefined;
  /** Batch-test ids: a round carrying them must also be reported through Sobot's batch callback. */
  runtimeid?: string | undefined;
  /** Prefix for generated ids, so an operator can find the rounds later (e.g. `sim`, `check`, `batch`). */
  idPrefix?: string | undefined;
}

/**
 * One visitor's conversation as Sobot drives it: a fixed `ai_agent_cid`, a new `roundid` per message, and the
 * fields Sobot always sends (robot, company, channel, model, mode), so each request is one Sobot could send.
 */
export class SobotConversation {
  readonly cid: string;
  private roundNumber = 0;

  constructor(private readonly options: ConversationOptions = {}) {
    this.cid = `${options.idPrefix ?? 'cli'}-${randomUUID()}`;
  }

  /** A typed message (`INPUT`). */
  text(question: string, extra: Record<string, unknown> = {}): SobotRequestBody {
    return this.request({ question, show_question: question, input_type_enum: 'INPUT', msg_type: 'TEXT', ...extra });
  }

  /** An image the visitor sent: `msg_type: IMG` with the image's URL as the question. */
  image(imageUrl: string, caption?: string): SobotRequestBody {
    return this.request({
      question: imageUrl,
      show_question: caption ?? imageUrl,
      input_type_enum: 'INPUT',
      msg_type: 'IMG',
    });
  }

  /** The welcome request Sobot sends when a visitor opens the chat. */
  welcome(): SobotRequestBody {
    return this.request({ question: '', show_question: '', input_type_enum: 'WELCOME', msg_type: 'TEXT' });
  }

  /** Any request shape in this conversation, e.g. a click built by `offers.ts`. */
  request(fields: Record<string, unknown>): SobotRequestBody {
    this.roundNumber += 1;
    return {
      ai_agent_cid: this.cid,
      roundid: `${this.cid}-r${this.roundNumber}`,
      companyid: this.options.companyid ?? 'company-cli',
      robotid: this.options.robotid ?? '1',
      robot_name: 'CLI robot',
      robot_model: this.options.debug ? 'THIRD_DEBUG' : 'THIRD_STANDARD',
      source_enum: 'PC',
      partnerid: 'sobot-bridge-cli',
      req_stream: this.options.stream ?? false,
      copilot: this.options.copilot ?? false,
      // A batch test numbers its questions; each round here is one.
      ...(this.options.runtimeid ? { runtimeid: this.options.runtimeid, questionid: `q${this.roundNumber}` } : {}),
      ...fields,
    };
  }
}
