import type { ThirdAlgorithmResponseItem } from '../sobot/schemas/response.js';

/**
 * What the document requires of one answer's items, in either mode: MESSAGE items (the text), then one closing
 * item (THIRD_ANSWER_INFO, THIRD_PROCESS_INFO or ERROR_END) last; returns each rule broken, empty when none.
 */
export function sequenceProblems(items: ThirdAlgorithmResponseItem[]): string[] {
  if (items.length === 0) return ['no items'];
  const problems: string[] = [];
  const closingAt = items.findIndex((item) => item.robot_answer_message_type !== 'MESSAGE');
  if (closingAt === -1) problems.push('no closing item (THIRD_ANSWER_INFO, THIRD_PROCESS_INFO or ERROR_END)');
  else if (closingAt !== items.length - 1) {
    problems.push(
      `item ${closingAt + 1} of ${items.length} (${items[closingAt]!.robot_answer_message_type}) closes the answer but is not last`,
    );
  }
  return problems;
}

/**
 * "When MESSAGE, set message_end=true for the last MESSAGE in this answer": the last MESSAGE says true and no
 * MESSAGE follows one that did. A streamed answer that ends in ERROR_END may stop without it.
 */
export function messageEndProblems(items: ThirdAlgorithmResponseItem[]): string[] {
  const messages = items.filter((item) => item.robot_answer_message_type === 'MESSAGE');
  const endedWithError = items.at(-1)?.robot_answer_message_type === 'ERROR_END';
  const problems: string[] = [];
  const firstEnd = messages.findIndex((item) => item.message_end);
  if (firstEnd !== -1 && firstEnd < messages.length - 1) {
    problems.push(`MESSAGE ${firstEnd + 1} of ${messages.length} has message_end: true but more MESSAGE items follow`);
  }
  if (messages.length > 0 && !messages.at(-1)!.message_end && !endedWithError) {
    problems.push('the last MESSAGE has message_end: false');
  }
  return problems;
}

/** Every item echoes the round's `roundid` and `companyid`. */
export function echoProblems(items: ThirdAlgorithmResponseItem[], request: { roundid: string; companyid?: unknown }) {
  const problems: string[] = [];
  items.forEach((item, index) => {
    if (item.roundid !== request.roundid)
      problems.push(`item ${index + 1} has roundid "${item.roundid}", sent "${request.roundid}"`);
    if (typeof request.companyid === 'string' && item.companyid !== request.companyid) {
      problems.push(`item ${index + 1} has companyid "${item.companyid}", sent "${request.companyid}"`);
    }
  });
  return problems.slice(0, 3);
}

/** The answer's text: its MESSAGE items joined, else the closing item's. */
export function answerText(items: ThirdAlgorithmResponseItem[]): string {
  const text = items
    .filter((item) => item.robot_answer_message_type === 'MESSAGE')
    .map((item) => item.llm_answer)
    .join('');
  return text || (items.at(-1)?.llm_answer ?? '');
}
