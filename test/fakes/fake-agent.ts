import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';

/** Ways an agent endpoint can break Sobot's contract; `check` must name the rule each one breaks. */
export type AgentDefect =
  | 'no-message-end'
  | 'message-end-too-early'
  | 'wrong-roundid'
  | 'closing-first'
  | 'json-for-stream'
  | 'crash-on-bad-json'
  | 'accept-missing-ids'
  | 'new-answer-on-replay'
  | 'ignore-token'
  | 'refuse-clicks';

export interface FakeAgent {
  url: string;
  close(): Promise<void>;
}

/**
 * A small third-party agent written from the document alone, independent of the bridge: it greets, offers
 * buttons for "return", and acknowledges their clicks. With a defect it breaks exactly one rule.
 */
export async function startFakeAgent(options: { defect?: AgentDefect; token?: string } = {}): Promise<FakeAgent> {
  const { defect, token } = options;
  const answers = new Map<string, string>();
  let answerCount = 0;
  const app = new Hono();
  const envelope = (code: string, message: string, data?: unknown[]) => ({
    ret_code: code,
    ret_msg: message,
    ...(data ? { data } : {}),
  });

  app.post('/agent', async (c) => {
    if (token && defect !== 'ignore-token' && c.req.query('token') !== token) {
      return c.json(envelope('401000', 'unauthorized'), 401);
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      if (defect === 'crash-on-bad-json') return c.text('Internal Server Error', 500);
      return c.json(envelope('400000', 'body is not JSON'), 400);
    }
    const roundid = String(body.roundid ?? '');
    const cid = String(body.ai_agent_cid ?? '');
    if ((!roundid || !cid) && defect !== 'accept-missing-ids') {
      return c.json(envelope('400000', 'roundid and ai_agent_cid are required'), 400);
    }
    const key = `${cid}/${roundid}`;
    const isClick = body.input_type_enum === 'PROCESS_CLICK';
    const text = answers.get(key) ?? (isClick ? 'Noted.' : `Hello! (answer ${++answerCount})`);
    if (defect !== 'new-answer-on-replay') answers.set(key, text);
    const offersButtons = String(body.question).includes('return') && !isClick;
    const item = (fields: Record<string, unknown>) => ({
      answer_type: 'GENERAL',
      lan: 'en',
      llm_answer: '',
      roundid: defect === 'wrong-roundid' ? 'not-the-round' : roundid,
      companyid: String(body.companyid ?? ''),
      message_end: false,
      ...fields,
    });
    const closing = item({
      robot_answer_message_type: offersButtons ? 'THIRD_PROCESS_INFO' : 'THIRD_ANSWER_INFO',
      answer_type:
        isClick && defect === 'refuse-clicks' ? 'PROCESS_VALUE_ERROR' : offersButtons ? 'PROCESS' : 'GENERAL',
      success: true,
      message_end: true,
      ...(offersButtons
        ? {
            third_processid: 'p1',
            third_nodeid: 'n1',
            third_variable_id: 'reason',
            third_variable_value_enums: ['Broken', 'Too big'],
          }
        : {}),
    });
    const [first, second] = [text.slice(0, 6), text.slice(6)];
    const messages = [
      item({
        robot_answer_message_type: 'MESSAGE',
        llm_answer: first,
        message_end: defect === 'message-end-too-early',
      }),
      item({ robot_answer_message_type: 'MESSAGE', llm_answer: second, message_end: defect !== 'no-message-end' }),
    ];
    const items = defect === 'closing-first' ? [closing, ...messages] : [...messages, closing];
    if (body.req_stream === true && defect !== 'json-for-stream') {
      return streamSSE(c, async (stream) => {
        for (const entry of items) await stream.writeSSE({ data: JSON.stringify(entry) });
      });
    }
    return c.json(envelope('000000', 'success', items));
  });

  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/agent`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
