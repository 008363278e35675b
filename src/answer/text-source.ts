import type { AnswerType } from '../sobot/schemas/response.js';
import type { AnswerSource } from './answer-source.js';

/** A fixed text answered as one delta, e.g. the welcome message. */
export function createTextSource(name: string, text: string, answerType: AnswerType): AnswerSource {
  return {
    name,
    answerType,
    async *answer() {
      yield { type: 'text-delta', text };
      yield { type: 'finish', answerType };
    },
  };
}
