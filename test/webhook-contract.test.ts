import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeSchema, thirdAlgorithmResponseItemSchema } from '../src/sobot/schemas/response.js';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/fake-openai.js';
import { round, startBridge, type Bridge } from './helpers/bridge.js';

const docRequest = JSON.parse(
  readFileSync(new URL('./fixtures/sobot-doc-request.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const docResponseItem = JSON.parse(
  readFileSync(new URL('./fixtures/sobot-doc-response-item.json', import.meta.url), 'utf8'),
) as unknown;

let llm: FakeOpenAI;
let bridge: Bridge;

beforeAll(async () => {
  llm = await startFakeOpenAI();
  bridge = await startBridge({
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: llm.baseUrl,
      OPENAI_MODEL: 'fake-model',
      WELCOME_TEXT: '欢迎光临！',
    },
  });
});
afterAll(async () => {
  await bridge.stop();
  bridge.cleanup();
  await llm.close();
});

describe("the document's own examples", () => {
  it('accepts the ThirdAlgorithmReqVo example as is and echoes its ids', async () => {
    llm.script({ kind: 'stream', chunks: ['Hello', ' there'] });
    const { status, envelope } = await bridge.ask(docRequest);
    expect(status).toBe(200);
    expect(envelope.ret_code).toBe('000000');
    expect(envelope.retCode).toBe('000000');
    expect(envelope.data).toHaveLength(2);
    for (const item of envelope.data ?? []) {
      expect(item).toMatchObject({
        roundid: 'roundid_5da5d19a0f2d',
        companyid: 'companyid_69c0a98e2874',
        runtimeid: 'runtimeid_82de6047a003',
        questionid: 'questionid_b89f6d5dd01b',
      });
    }
    expect(envelope.data?.[0]).toMatchObject({
      robot_answer_message_type: 'MESSAGE',
      llm_answer: 'Hello there',
      message_end: true,
    });
  });

  it('echoes a Long id sent as a bare number past 2^53 digit for digit, not rounded as JSON.parse would', async () => {
    llm.script({ kind: 'stream', chunks: ['Noted.'] });
    const body = `{"roundid": 1905555364410802345, "ai_agent_cid": "c-long-ids", "companyid": 9007199254740993,
      "question": "my card: 4111111111111111", "context_validity_time": 30}`;
    const response = await bridge.post(body);
    const envelope = envelopeSchema.parse(await response.json());
    expect(envelope.data?.map((item) => [item.roundid, item.companyid])).toEqual([
      ['1905555364410802345', '9007199254740993'],
      ['1905555364410802345', '9007199254740993'],
    ]);
    expect(llm.calls.at(-1)!.body.messages.at(-1)).toEqual({ role: 'user', content: 'my card: 4111111111111111' });
  });

  it('parses the ThirdAlgorithmRespVo example with our response schema', () => {
    const item = thirdAlgorithmResponseItemSchema.parse(docResponseItem);
    expect(item.third_interface_info?.custom_cards?.[0]?.custom_card_name).toEqual({
      variableid: 'variableid_1e5238bb6165',
      param_value: 'param_value_772bde60287e',
    });
  });
});

describe('event sequences', () => {
  it('are sent with Cache-Control: no-cache, by Node and by the web path a Worker takes', async () => {
    llm.script({ kind: 'stream', chunks: ['one'] }, { kind: 'stream', chunks: ['two'] });
    // A proxy or CDN in between must pass the events on as they come, not keep or merge them.
    const viaNode = await bridge.post(round({ req_stream: true }));
    const viaWeb = await bridge.runtime.app.request('/sobot/agent', {
      method: 'POST',
      body: JSON.stringify(round({ req_stream: true })),
    });
    for (const response of [viaNode, viaWeb]) {
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('THIRD_ANSWER_INFO');
    }
  });

  it('streams one MESSAGE per delta, an end marker, then THIRD_ANSWER_INFO', async () => {
    llm.script({ kind: 'stream', chunks: ['Orders ship ', 'within ', '2 days.'] });
    const body = round({ runtimeid: 'run-7', questionid: 'q-7' });
    const { status, contentType, items } = await bridge.askStream(body);
    expect(status).toBe(200);
    expect(contentType).toContain('text/event-stream');
    expect(items.map((item) => [item.robot_answer_message_type, item.llm_answer, item.message_end])).toEqual([
      ['MESSAGE', 'Orders ship ', false],
      ['MESSAGE', 'within ', false],
      ['MESSAGE', '2 days.', false],
      ['MESSAGE', '', true],
      ['THIRD_ANSWER_INFO', '', true],
    ]);
    const closing = items.at(-1)!;
    expect(closing).toMatchObject({ answer_type: 'GENERAL', success: true, lan: 'en', hit_sensitive_word: false });
    for (const item of items) {
      expect(item).toMatchObject({
        roundid: body.roundid,
        companyid: 'company-1',
        runtimeid: 'run-7',
        questionid: 'q-7',
      });
    }
  });

  it('returns the same sequence merged into one MESSAGE when not streaming', async () => {
    llm.script({ kind: 'stream', chunks: ['订单', '两天内', '发货。'] });
    const { envelope } = await bridge.ask(round({ question: '多久发货？' }));
    expect(envelope.data?.map((item) => [item.robot_answer_message_type, item.llm_answer, item.message_end])).toEqual([
      ['MESSAGE', '订单两天内发货。', true],
      ['THIRD_ANSWER_INFO', '', true],
    ]);
    expect(envelope.data?.[1]).toMatchObject({ answer_type: 'GENERAL', lan: 'zh', success: true });
    expect(envelope.data?.[0]).not.toHaveProperty('runtimeid');
  });

  it('sends the model the question and records token usage', async () => {
    const before = llm.calls.length;
    llm.script({ kind: 'stream', chunks: ['Yes.'] });
    await bridge.ask(
      round({ question: 'Do you ship to Canada?', robot_name: 'ShopBot', robot_remark: 'Sells shoes.' }),
    );
    const call = llm.calls[before]!;
    expect(call.body.model).toBe('fake-model');
    expect(call.body.stream).toBe(true);
    expect(call.authorization).toBe('Bearer sk-test');
    expect(call.body.messages.at(-1)).toEqual({ role: 'user', content: 'Do you ship to Canada?' });
    expect(call.body.messages[0]?.role).toBe('system');
    expect(call.body.messages[0]?.content).toContain('ShopBot');
    expect(call.body.messages[0]?.content).toContain('Sells shoes.');
  });
});

describe('input types', () => {
  it('answers WELCOME with the configured text without calling the model', async () => {
    const before = llm.calls.length;
    const { envelope } = await bridge.ask(round({ input_type_enum: 'WELCOME', question: '' }));
    expect(llm.calls.length).toBe(before);
    expect(envelope.data?.[0]?.llm_answer).toBe('欢迎光临！');
    expect(envelope.data?.[1]).toMatchObject({ answer_type: 'QA_DIRECT', lan: 'zh', success: true });
  });

  it('treats CLICK like INPUT', async () => {
    const before = llm.calls.length;
    await bridge.ask(round({ input_type_enum: 'CLICK', question: 'Track my order' }));
    expect(llm.calls[before]?.body.messages.at(-1)?.content).toBe('Track my order');
  });

  it('answers a click on nothing this conversation was offered with a clear message, not the model', async () => {
    const before = llm.calls.length;
    const card = {
      cardStyle: '0',
      customCards: [
        {
          customCardName: { variableId: 'v9', paramValue: 'Mate 70' },
          paramInfos: [{ variableId: 'v9', paramValue: 'Mate 70' }],
        },
      ],
    };
    for (const click of [
      {
        input_type_enum: 'PROCESS_CLICK',
        process_info: { process_id: 'p1', node_id: 'n1', variable_id: 'v1', variable_value: 'Express' },
      },
      {
        input_type_enum: 'PROCESS_CARD_CLICK',
        interface_info: card,
        show_question: JSON.stringify(card),
        question: JSON.stringify([
          { processId: 'p', nodeId: 'n', variableId: 'v9', variableValue: 'Mate 70', customCardButtonName: 'Buy' },
        ]),
      },
    ]) {
      const { envelope } = await bridge.ask(round(click));
      expect(envelope.data?.map((item) => [item.robot_answer_message_type, item.answer_type])).toEqual([
        ['MESSAGE', 'UNKNOWN'],
        ['THIRD_ANSWER_INFO', 'UNKNOWN'],
      ]);
      expect(envelope.data?.[0]?.llm_answer).toBe('That choice is no longer available. How else can I help you?');
    }
    expect(llm.calls.length).toBe(before);
  });

  it('sends an IMG question to the model as an image_url part with its text', async () => {
    const before = llm.calls.length;
    await bridge.ask(
      round({
        msg_type: 'IMG',
        question: 'https://cdn.example.com/broken-shoe.jpg',
        show_question: 'Is this covered?',
      }),
    );
    expect(llm.calls[before]?.body.messages.at(-1)).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'Is this covered?' },
        { type: 'image_url', image_url: { url: 'https://cdn.example.com/broken-shoe.jpg' } },
      ],
    });
  });

  it('sends an IMG without text as an image part alone', async () => {
    const before = llm.calls.length;
    const url = 'https://cdn.example.com/receipt.png';
    await bridge.ask(round({ msg_type: 'IMG', question: url, show_question: url }));
    expect(llm.calls[before]?.body.messages.at(-1)?.content).toEqual([{ type: 'image_url', image_url: { url } }]);
  });
});

describe('liberal input', () => {
  it('accepts camelCase ids, string booleans and numbers where strings are expected', async () => {
    llm.script({ kind: 'stream', chunks: ['ok'] });
    const response = await bridge.post({
      roundId: 12345,
      aiAgentCid: 'cid-camel',
      companyId: 987,
      question: 'hi',
      req_stream: 'false',
      copilot: 'false',
      context_validity_time: '600',
      robotLogo: 'https://logo',
      source_enum: 'source_enum_whatever',
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Array<{ roundid: string; companyid: string }> };
    expect(body.data[0]).toMatchObject({ roundid: '12345', companyid: '987' });
  });
});
