import { envelopeSchema, thirdAlgorithmResponseItemSchema } from '../../src/sobot/schemas/response.js';
import type { ThirdAlgorithmResponseItem } from '../../src/sobot/schemas/response.js';

export interface CheckedReply {
  status: number;
  stream: boolean;
  items: ThirdAlgorithmResponseItem[];
  /** Everything the reply got wrong against the protocol; empty when it is sound. */
  problems: string[];
}

const closingTypes = new Set(['THIRD_ANSWER_INFO', 'THIRD_PROCESS_INFO', 'ERROR_END']);

/**
 * Reads a webhook reply whole and checks it against the README's protocol: never a 5xx; an error is
 * Sobot's envelope with a non-success code matching its status and no data; an answer (JSON or SSE)
 * is valid items ending in exactly one closing item. A copilot acknowledgement carries no items.
 */
export async function checkReply(response: Response): Promise<CheckedReply> {
  const problems: string[] = [];
  const status = response.status;
  const stream = (response.headers.get('content-type') ?? '').includes('text/event-stream');
  const text = await response.text();
  if (status >= 500) problems.push(`HTTP ${status}: ${text.slice(0, 300)}`);
  let items: ThirdAlgorithmResponseItem[] = [];
  if (stream) {
    if (status !== 200) problems.push(`a stream with HTTP ${status}`);
    items = parseFrames(text, problems);
    checkSequence(items, problems);
  } else {
    const envelope = envelopeSchema.safeParse(parseJson(text));
    if (!envelope.success) {
      problems.push(`not the envelope (HTTP ${status}): ${text.slice(0, 300)}`);
    } else if (status === 200) {
      const { ret_code, retCode, data } = envelope.data;
      if (ret_code !== '000000' || retCode !== '000000') problems.push(`HTTP 200 with ret_code ${ret_code}`);
      items = data ?? [];
      if (!data) problems.push('HTTP 200 without data');
      else if (data.length > 0) checkSequence(data, problems);
    } else {
      const { ret_code, retCode, ret_msg, retMsg, data } = envelope.data;
      if (ret_code !== `${status}000` || retCode !== ret_code) {
        problems.push(`HTTP ${status} with ret_code ${ret_code}/${retCode}`);
      }
      if (ret_msg === '' || ret_msg !== retMsg) problems.push(`error message ${JSON.stringify(ret_msg)}`);
      if (data !== undefined) problems.push('an error carrying data');
    }
  }
  return { status, stream, items, problems };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseFrames(text: string, problems: string[]): ThirdAlgorithmResponseItem[] {
  const items: ThirdAlgorithmResponseItem[] = [];
  for (const frame of text.split('\n\n')) {
    if (frame.trim() === '') continue;
    const data = frame
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    const item = thirdAlgorithmResponseItemSchema.safeParse(parseJson(data));
    if (item.success) items.push(item.data);
    else problems.push(`an SSE frame that is not an item: ${frame.slice(0, 200)}`);
  }
  return items;
}

function checkSequence(items: ThirdAlgorithmResponseItem[], problems: string[]) {
  const closing = items.filter((item) => closingTypes.has(item.robot_answer_message_type));
  const last = items.at(-1);
  if (closing.length !== 1 || !last || !closingTypes.has(last.robot_answer_message_type)) {
    problems.push(`items do not end in one closing item: ${items.map((item) => item.robot_answer_message_type)}`);
  }
  if (last && !last.message_end) problems.push('the closing item lacks message_end');
}
