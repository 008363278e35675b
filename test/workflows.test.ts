import BetterSqlite from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ThirdAlgorithmResponseItem } from '../src/sobot/schemas/response.js';
import { PRODUCTS, startFakeEnterprise, type FakeEnterprise } from './fakes/fake-enterprise.js';
import { startRedirectServer } from './fakes/redirect-server.js';
import { startSilentServer } from './fakes/silent-server.js';
import { manualClock, round, storedRound, type Bridge, type BridgeOptions } from './helpers/bridge.js';
import { captureLogs } from './helpers/log-capture.js';
import { useTestHarness } from './helpers/test-harness.js';
import { waitFor } from './helpers/wait-for.js';

const harness = useTestHarness();
let enterprise: FakeEnterprise;
beforeAll(async () => {
  enterprise = await startFakeEnterprise();
});
afterAll(async () => {
  await enterprise.close();
});

/** The shipped sample bridge.yaml, its interfaces pointed at the fake; with or without a model; plus `env`. */
function start(options: { model?: boolean } & BridgeOptions = {}) {
  const env = {
    BRIDGE_CONFIG: 'bridge.yaml',
    ORDER_API_URL: `${enterprise.baseUrl}/orders/lookup`,
    ORDER_API_KEY: 'order-secret',
    PRODUCT_API_URL: `${enterprise.baseUrl}/products/search`,
    ...options.env,
  };
  return harness.start({ ...options, env: options.model ? harness.llmEnv(env) : env });
}

/** One conversation: each call is the next visitor round, in the mode asked for. */
function conversation(bridge: Bridge, mode: 'json' | 'sse') {
  const cid = `wf-${Math.random().toString(36).slice(2)}`;
  let turn = 0;
  return async (fields: Record<string, unknown>): Promise<ThirdAlgorithmResponseItem[]> => {
    const body = round({
      ai_agent_cid: cid,
      roundid: `r${++turn}`,
      companyid: 'co',
      partnerid: 'partner-7',
      source_enum: 'APP',
      ...fields,
    });
    if (mode === 'sse') return (await bridge.askStream(body)).items;
    return (await bridge.ask(body)).envelope.data ?? [];
  };
}

/** The conversation's stored workflow session rows, as they are. */
function workflowSessions(bridge: Bridge, cid: string): Array<Record<string, unknown>> {
  const sqlite = new BetterSqlite(bridge.databasePath, { readonly: true });
  try {
    return sqlite.prepare('select * from workflow_sessions where cid = ?').all(cid) as Array<Record<string, unknown>>;
  } finally {
    sqlite.close();
  }
}

const text = (items: ThirdAlgorithmResponseItem[]) =>
  items
    .filter((item) => item.robot_answer_message_type === 'MESSAGE')
    .map((item) => item.llm_answer)
    .join('');
const closing = (items: ThirdAlgorithmResponseItem[]) => items.at(-1)!;
const click = (closingItem: ThirdAlgorithmResponseItem, value: string) => ({
  input_type_enum: 'PROCESS_CLICK',
  question: value,
  process_info: {
    process_id: closingItem.third_processid,
    node_id: closingItem.third_nodeid,
    variable_id: closingItem.third_variable_id,
    variable_value: value,
  },
});

/** The card click Sobot sends, built from an offered card as the document's "Question Description" says. */
function cardClick(closingItem: ThirdAlgorithmResponseItem, index: number, button: string) {
  const info = closingItem.third_interface_info!;
  const card = info.custom_cards![index]!;
  const param = (value: { variableid?: string; param_value?: string } | undefined) =>
    value ? { variableId: value.variableid ?? null, paramValue: value.param_value ?? null } : null;
  const clicked = {
    cardStyle: '0',
    cardType: info.card_type,
    cardForm: info.card_form,
    cardGuide: info.card_guide,
    customCards: [
      {
        customCardName: param(card.custom_card_name),
        customCardThumbnail: param(card.custom_card_thumbnail),
        customCardAmount: param(card.custom_card_amount),
        customCardAmountSymbol: param(card.custom_card_amount_symbol),
        customCardDesc: param(card.custom_card_desc),
        customCardType: card.custom_card_type,
        customCardLink: card.custom_card_link ?? null,
        paramInfos: card.param_infos!.map(param),
        customMenus: card.custom_menus!.map((menu) => ({
          menuType: menu.menu_type,
          menuName: menu.menu_name,
          menuLink: menu.menu_link ?? null,
        })),
      },
    ],
  };
  const question = card.param_infos!.map((info) => ({
    processId: closingItem.third_processid,
    nodeId: closingItem.third_nodeid,
    variableId: info.variableid ?? null,
    variableValue: info.param_value,
    customCardButtonName: button,
  }));
  return {
    input_type_enum: 'PROCESS_CARD_CLICK',
    interface_info: clicked,
    show_question: JSON.stringify(clicked),
    question: JSON.stringify(question),
  };
}

describe.each(['json', 'sse'] as const)('buttons (%s)', (mode) => {
  it('runs a return request: keyword start, button click, typed answer, end', async () => {
    const bridge = await start();
    const ask = conversation(bridge, mode);

    const first = await ask({ question: 'I want to return my boots' });
    expect(text(first)).toBe('Sorry to hear that. Why would you like to return it?');
    expect(closing(first)).toMatchObject({
      robot_answer_message_type: 'THIRD_PROCESS_INFO',
      answer_type: 'PROCESS',
      third_processid: 'return-request',
      third_nodeid: 'ask-reason',
      third_variable_id: 'reason',
      third_variable_value_enums: ['Wrong size', 'Arrived damaged', 'Changed my mind'],
    });
    if (mode === 'sse') expect(first.map((item) => item.message_end)).toEqual([false, true, true]);

    const second = await ask(click(closing(first), 'Wrong size'));
    expect(text(second)).toBe('What is your order number (NW- and six digits)?');
    expect(closing(second)).toMatchObject({
      robot_answer_message_type: 'THIRD_ANSWER_INFO',
      answer_type: 'PROCESS_DOING',
    });

    const wrong = await ask({ question: 'my order is 123' });
    expect(text(wrong)).toBe(
      'Please give the order number as NW- followed by six digits.\nWhat is your order number (NW- and six digits)?',
    );
    expect(closing(wrong)).toMatchObject({ answer_type: 'PROCESS_VALUE_ERROR', success: false });

    const last = await ask({ question: 'NW-123456' });
    expect(text(last)).toContain('For order NW-123456 (Wrong size), open "My orders"');
    expect(closing(last)).toMatchObject({
      robot_answer_message_type: 'THIRD_ANSWER_INFO',
      answer_type: 'PROCESS_END',
      success: true,
    });
  });
});

describe('clicks that do not answer the pending step', () => {
  it('are refused with the step shown again, and the step still works afterwards', async () => {
    const bridge = await start();
    const ask = conversation(bridge, 'json');
    const offered = closing(await ask({ question: 'I want to return something' }));

    const forged = await ask(click(offered, 'Free money'));
    const stale = await ask({
      ...click(offered, 'Wrong size'),
      process_info: { ...click(offered, 'Wrong size').process_info, node_id: 'ask-order' },
    });
    const foreign = await ask({
      ...click(offered, 'Wrong size'),
      process_info: { ...click(offered, 'Wrong size').process_info, process_id: 'order-status' },
    });
    const wrongVariable = await ask({
      ...click(offered, 'Wrong size'),
      process_info: { ...click(offered, 'Wrong size').process_info, variable_id: 'admin' },
    });
    for (const refused of [forged, stale, foreign, wrongVariable]) {
      expect(text(refused)).toBe(
        "Sorry, that option isn't available here. Please choose one of these:\nSorry to hear that. Why would you like to return it?",
      );
      expect(closing(refused)).toMatchObject({
        answer_type: 'PROCESS_VALUE_ERROR',
        third_processid: 'return-request',
        third_nodeid: 'ask-reason',
        third_variable_value_enums: ['Wrong size', 'Arrived damaged', 'Changed my mind'],
      });
    }
    const accepted = await ask(click(offered, 'Changed my mind'));
    expect(closing(accepted)).toMatchObject({ answer_type: 'PROCESS_DOING' });
  });

  it('cannot advance a workflow twice: a repeated click of an answered step is refused', async () => {
    const bridge = await start();
    const ask = conversation(bridge, 'json');
    const offered = closing(await ask({ question: 'I want to return something' }));
    await ask(click(offered, 'Wrong size'));
    const again = await ask(click(offered, 'Changed my mind'));
    expect(closing(again)).toMatchObject({ answer_type: 'PROCESS_VALUE_ERROR' });
    expect(text(again)).toContain('What is your order number');
  });
});

describe.each(['json', 'sse'] as const)('cards (%s)', (mode) => {
  it('shows products from an interface as cards and takes the document-shaped card click', async () => {
    const bridge = await start();
    const ask = conversation(bridge, mode);
    const activity = closing(await ask({ question: 'can you recommend a tent?' }));
    expect(activity).toMatchObject({
      third_processid: 'product-recommendation',
      third_variable_value_enums: ['Camping', 'Hiking', 'Climbing'],
    });

    const before = enterprise.requests.length;
    const shown = await ask(click(activity, 'Camping'));
    const call = enterprise.requests[before]!;
    expect(call.path).toBe('/products/search');
    expect(call.body).toEqual({
      partnerId: 'partner-7',
      params: '{}',
      multiParams: {},
      source: 2,
      robotNo: 'robot-1',
      docId: 'product-recommendation/show-products',
      activity: 'Camping',
    });
    const cards = closing(shown);
    expect(text(shown)).toBe('');
    expect(cards).toMatchObject({
      robot_answer_message_type: 'THIRD_PROCESS_INFO',
      answer_type: 'PROCESS_DOING',
      third_nodeid: 'show-products',
      third_variable_id: 'product',
    });
    expect(cards.third_interface_info).toMatchObject({
      card_style: '1',
      card_type: '1',
      card_form: '1',
      card_guide: 'Our most popular picks for Camping',
    });
    expect(cards.third_interface_info?.custom_cards?.[0]).toEqual({
      custom_card_name: { variableid: 'product', param_value: 'Ridge 2P Tent' },
      custom_card_thumbnail: { param_value: PRODUCTS.Camping[0].image },
      custom_card_amount: { param_value: '1299' },
      custom_card_amount_symbol: { param_value: 'CNY' },
      custom_card_desc: { param_value: 'Two-person, 1.9 kg' },
      custom_card_type: 0,
      custom_card_link: 'https://shop.northwind.example/tent',
      param_infos: [{ variableid: 'product', param_value: 'TENT-2P' }],
      custom_menus: [{ menu_type: 0, menu_name: 'Tell me more' }],
    });

    const picked = await ask(cardClick(cards, 1, 'Tell me more'));
    expect(text(picked)).toBe('Good choice! You can order BAG-0C on our website, or ask me anything about it.');
    expect(closing(picked)).toMatchObject({ answer_type: 'PROCESS_END' });
  });
});

describe('cards that cannot be shown', () => {
  it('fall back to a numbered text list the visitor can answer by number', async () => {
    const bridge = await start();
    const ask = conversation(bridge, 'json');
    const activity = closing(await ask({ question: 'recommend' }));
    const shown = await ask(click(activity, 'Climbing'));
    expect(text(shown)).toBe(
      'Our most popular picks for Climbing\n1. Crag Harness — ask in store CNY\n2. Dynamic Rope 60 m — 899 CNY',
    );
    expect(closing(shown)).toMatchObject({
      robot_answer_message_type: 'THIRD_ANSWER_INFO',
      answer_type: 'PROCESS_DOING',
    });
    const picked = await ask({ question: '2' });
    expect(text(picked)).toContain('You can order ROPE-60');
  });

  it('refuse a card click for a card that was not offered', async () => {
    const bridge = await start();
    const ask = conversation(bridge, 'json');
    const cards = closing(await ask(click(closing(await ask({ question: 'recommend' })), 'Camping')));
    const forged = cardClick(cards, 0, 'Tell me more');
    forged.question = forged.question.replace('TENT-2P', 'FREE-TENT');
    expect(closing(await ask(forged))).toMatchObject({
      answer_type: 'PROCESS_VALUE_ERROR',
      third_nodeid: 'show-products',
    });
    const wrongButton = cardClick(cards, 0, 'Delete account');
    expect(closing(await ask(wrongButton))).toMatchObject({ answer_type: 'PROCESS_VALUE_ERROR' });
  });
});

describe('with LOG_REDACT_VISITOR_TEXT', () => {
  it("keeps a refused click's value and a failing interface's reply out of the log, and names the conversation", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const bridge = await start({
      env: { LOG_LEVEL: 'warn', LOG_REDACT_VISITOR_TEXT: 'true' },
      logWrite: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    const ask = conversation(bridge, 'json');
    const cards = closing(await ask(click(closing(await ask({ question: 'recommend' })), 'Camping')));
    const forged = cardClick(cards, 0, 'Tell me more');
    forged.question = forged.question.replace('TENT-2P', 'CARD-4111-1111');
    await ask(forged);
    enterprise.failing = true;
    try {
      await conversation(bridge, 'json')({ question: 'Where is NW-111223?' });
    } finally {
      enterprise.failing = false;
    }
    const refused = lines.find((line) => line.message === 'click refused');
    const failed = lines.find((line) => line.message === 'enterprise interface failed');
    expect(refused).toMatchObject({ clicked: '[redacted]', reason: expect.stringContaining('no offered card') });
    expect(failed).toMatchObject({ cid: expect.stringMatching(/^wf-/), error: 'HTTP 503', reply: '[redacted]' });
    expect(JSON.stringify(lines)).not.toMatch(/4111|NW-111223/);
  });
});

describe('enterprise interfaces', () => {
  it('fill variables through JSONPath, with the configured headers', async () => {
    const bridge = await start();
    const ask = conversation(bridge, 'json');
    await ask({ question: 'where is my order' });
    const before = enterprise.requests.length;
    const answer = await ask({ question: 'nw-654321' });
    expect(enterprise.requests[before]).toMatchObject({
      path: '/orders/lookup',
      body: { orderNo: 'nw-654321' },
      headers: { 'x-api-key': 'order-secret' },
    });
    expect(text(answer)).toBe(
      'Order nw-654321 is shipped. Expected delivery Friday.\nIs there anything else I can help with?',
    );
    expect(closing(answer)).toMatchObject({ answer_type: 'PROCESS_END' });
  });

  it('are called at once when the message that starts the workflow already gives what its first step asks', async () => {
    const bridge = await start();
    const ask = conversation(bridge, 'json');
    const before = enterprise.requests.length;
    const answer = await ask({ question: 'where is my order NW-123452? it is late' });
    expect(enterprise.requests.slice(before)).toMatchObject([{ body: { orderNo: 'NW-123452' } }]);
    expect(text(answer)).toBe(
      'Order NW-123452 is shipped. Expected delivery Friday.\nIs there anything else I can help with?',
    );
    expect(closing(answer)).toMatchObject({ answer_type: 'PROCESS_END' });

    // Without a whole order number in it, the message starts the workflow at its question.
    const asked = await ask({ question: 'where is my order NW-12345' });
    expect(text(asked)).toBe('Please tell me your order number. It looks like NW-123456.');
  });

  it('do not follow a redirect: the key and the visitor’s data stay with the configured host', async () => {
    // The configured host sends the call on to another origin, which would get the X-Api-Key header and the body.
    const redirector = await startRedirectServer(enterprise.baseUrl);
    try {
      const bridge = await start({ env: { ORDER_API_URL: `${redirector.baseUrl}/orders/lookup` } });
      const before = enterprise.requests.length;
      const answer = await conversation(bridge, 'json')({ question: 'Where is NW-111223?' });
      expect(text(answer)).toBe(
        "Sorry, I can't look up order NW-111223 right now. Would you like to talk to a colleague?",
      );
      expect(enterprise.requests.length).toBe(before);
    } finally {
      await redirector.close();
    }
  });

  /**
   * The sample's order lookup on an API that never answers, with a timeout longer than any test waits: only the
   * round's end can stop the call. `env` is the bridge's; `done` cleans up.
   */
  async function silentOrderApi() {
    const silent = await startSilentServer();
    const directory = mkdtempSync(join(tmpdir(), 'bridge-slow-interface-'));
    const file = join(directory, 'bridge.yaml');
    writeFileSync(file, readFileSync('bridge.yaml', 'utf8').replace('timeout_ms: 5000', 'timeout_ms: 60000'));
    return {
      held: silent.calls,
      env: { BRIDGE_CONFIG: file, ORDER_API_URL: `${silent.baseUrl}/orders/lookup` },
      done: async () => {
        await silent.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  }

  it('are called off when the caller hangs up, and the round is stored as aborted', async () => {
    const { held, env, done } = await silentOrderApi();
    try {
      const bridge = await start({ env });
      const body = round({ ai_agent_cid: 'wf-hang-up', roundid: 'r1', question: 'Where is NW-111223?' });
      const controller = new AbortController();
      const asked = bridge.post(body, { signal: controller.signal }).catch(() => undefined);
      await waitFor(() => held.length === 1, 'the interface call');
      controller.abort();
      await asked;
      await waitFor(() => held[0]!.closed, 'the interface call to be called off');
      await waitFor(() => storedRound(bridge, 'r1')?.status === 'aborted', 'the round stored as aborted');
    } finally {
      await done();
    }
  });

  for (const answered of ['typed', 'judged by the model'] as const) {
    it(`leave a waiting step as it was when the caller hangs up during the call it led to (${answered})`, async () => {
      const { held, env, done } = await silentOrderApi();
      try {
        const bridge = await start({ model: true, env });
        const cid = `wf-step-kept-${answered.length}`;
        await bridge.ask(round({ ai_agent_cid: cid, roundid: 'r1', question: 'order status' }));
        const waiting = workflowSessions(bridge, cid);
        expect(waiting).toHaveLength(1);
        if (answered !== 'typed') {
          harness.llm.script({ kind: 'tool', name: 'answer_step', arguments: { value: 'NW-111223' } });
        }
        const controller = new AbortController();
        const question = answered === 'typed' ? 'NW-111223' : 'the one I placed on Monday';
        const body = round({ ai_agent_cid: cid, roundid: 'r2', question });
        const asked = bridge.post(body, { signal: controller.signal }).catch(() => undefined);
        await waitFor(() => held.length === 1, 'the interface call');
        controller.abort();
        await asked;
        await waitFor(() => storedRound(bridge, 'r2')?.status === 'aborted', 'the round stored as aborted');
        expect(workflowSessions(bridge, cid)).toEqual(waiting);
      } finally {
        await done();
      }
    });
  }

  it('take the error branch when they fail, here ending in a hand-over with a summary', async () => {
    const bridge = await start();
    const ask = conversation(bridge, 'json');
    enterprise.failing = true;
    try {
      // The order number in the message that started the workflow answers its first question.
      const failed = await ask({ question: 'Where is NW-111222?' });
      expect(text(failed)).toBe(
        "Sorry, I can't look up order NW-111222 right now. Would you like to talk to a colleague?",
      );
      // The same click from another conversation finds nothing pending there.
      const foreign = await bridge.ask(
        round({ ...click(closing(failed), 'Yes, please'), ai_agent_cid: 'someone-else' }),
      );
      expect(foreign.envelope.data?.[0]?.llm_answer).toBe(
        'That choice is no longer available. How else can I help you?',
      );
      const items = await ask(click(closing(failed), 'Yes, please'));
      expect(text(items)).toBe("I'm connecting you with a colleague who can check order NW-111222.");
      expect(closing(items)).toMatchObject({
        robot_answer_message_type: 'THIRD_ANSWER_INFO',
        answer_type: 'TRANSFER_INTENTION',
        llm_answer:
          '[Hand-over] Order lookup failed\nVisitor wants: Order status: Yes, please\nCollected: order_no=NW-111222, wants_agent=Yes, please',
      });
    } finally {
      enterprise.failing = false;
    }
  });
});

describe.each(['json', 'sse'] as const)('hand-over (%s)', (mode) => {
  it('by keyword: TRANSFER_INTENTION, the summary for the agent in the closing item and stored with the round', async () => {
    const bridge = await start();
    const body = round({ question: 'I want to talk to a human please' });
    const items =
      mode === 'sse' ? (await bridge.askStream(body)).items : ((await bridge.ask(body)).envelope.data ?? []);
    expect(text(items)).toBe("Of course, I'm connecting you with a colleague now.");
    expect(closing(items)).toMatchObject({
      robot_answer_message_type: 'THIRD_ANSWER_INFO',
      answer_type: 'TRANSFER_INTENTION',
      llm_answer:
        '[Hand-over] Visitor asked for a human agent\nVisitor wants: Talk to a person: I want to talk to a human please',
    });
    expect(JSON.parse(storedRound(bridge, body.roundid)!.handover as string)).toEqual({
      reason: 'Visitor asked for a human agent',
      request: 'Talk to a person: I want to talk to a human please',
      variables: {},
    });
  });
});

describe('leaving and expiry', () => {
  it('an exit phrase leaves the workflow', async () => {
    const bridge = await start();
    const ask = conversation(bridge, 'json');
    const offered = closing(await ask({ question: 'I want to return something' }));
    const left = await ask({ question: 'cancel' });
    expect(closing(left)).toMatchObject({ answer_type: 'UNKNOWN' });
    expect(closing(await ask(click(offered, 'Wrong size')))).toMatchObject({ answer_type: 'UNKNOWN' });
  });

  it('state expires after idle_seconds: a late click finds nothing pending', async () => {
    const clock = manualClock(Date.now());
    const bridge = await start({ clock });
    const ask = conversation(bridge, 'json');
    const offered = closing(await ask({ question: 'I want to return something' }));
    clock.advance(1801_000);
    const late = await ask(click(offered, 'Wrong size'));
    expect(text(late)).toBe('That choice is no longer available. How else can I help you?');
  });

  it('a stored step that cannot be read (a row from an earlier build) is no step: a click finds nothing pending', async () => {
    const logger = captureLogs();
    const bridge = await start({ logger });
    const ask = conversation(bridge, 'json');
    const offered = closing(await ask({ question: 'I want to return something' }));
    const sqlite = new BetterSqlite(bridge.databasePath);
    try {
      // A choice step without its options: a click checked against it would find no list to look in.
      sqlite.prepare(`update workflow_sessions set pending = json_remove(pending, '$.options')`).run();
    } finally {
      sqlite.close();
    }
    const late = await ask(click(offered, 'Wrong size'));
    expect(text(late)).toBe('That choice is no longer available. How else can I help you?');
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'workflow session unreadable, ignored',
        fields: expect.objectContaining({ path: 'pending.options' }),
      }),
    );
  });
});

describe('with a model', () => {
  it('starts a workflow through its tool', async () => {
    const bridge = await start({ model: true });
    const ask = conversation(bridge, 'json');
    harness.llm.script({ kind: 'tool', name: 'start_workflow', arguments: { workflow: 'order-status' } });
    const answer = await ask({ question: 'my parcel never came, can you check?' });
    const tools = harness.llm.calls.at(-1)!.body.tools as Array<{ function: { name: string } }>;
    expect(tools.map((tool) => tool.function.name)).toEqual([
      'start_workflow',
      'offer_choices',
      'show_products',
      'hand_over',
    ]);
    expect(text(answer)).toBe('Please tell me your order number. It looks like NW-123456.');
    expect(closing(answer)).toMatchObject({ answer_type: 'PROCESS' });
  });

  it('acts on a tool call whose arguments take longer than the first-token timeout: the call was its first token', async () => {
    // The tool call's name arrives at once, its arguments' second half only after the first-token deadline:
    // a model that has begun a tool call is answering, and only the total timeout still applies.
    const bridge = await start({
      model: true,
      env: { LLM_FIRST_TOKEN_TIMEOUT_MS: '500', LLM_TOTAL_TIMEOUT_MS: '10000', OPENAI_MAX_RETRIES: '0' },
    });
    const ask = conversation(bridge, 'json');
    harness.llm.script({
      kind: 'tool',
      name: 'start_workflow',
      arguments: { workflow: 'order-status' },
      intervalMs: 1000,
    });
    const answer = await ask({ question: 'my parcel never came, can you check?' });
    expect(text(answer)).toBe('Please tell me your order number. It looks like NW-123456.');
    expect(closing(answer)).toMatchObject({ answer_type: 'PROCESS', success: true });
  });

  it('offers its own choices as buttons, and continues from the click', async () => {
    const bridge = await start({ model: true });
    const ask = conversation(bridge, 'sse');
    harness.llm.script({
      kind: 'tool',
      name: 'offer_choices',
      arguments: { prompt: 'Which size?', options: ['S', 'M', 'L'] },
      text: 'Let me help. ',
    });
    const offered = await ask({ question: 'I need a jacket' });
    expect(text(offered)).toBe('Let me help. Which size?');
    expect(closing(offered)).toMatchObject({
      third_processid: 'assistant',
      third_variable_id: 'choice',
      third_variable_value_enums: ['S', 'M', 'L'],
    });
    harness.llm.script({ kind: 'stream', chunks: ['Size M it is.'] });
    const after = await ask(click(closing(offered), 'M'));
    expect(harness.llm.calls.at(-1)!.body.messages.at(-1)).toEqual({ role: 'user', content: 'M' });
    expect(text(after)).toBe('Size M it is.');
  });

  it('keeps its offer when the caller hangs up while it answers the pick, and forgets it once answered', async () => {
    const bridge = await start({ model: true });
    const cid = 'wf-offer-kept';
    harness.llm.script({
      kind: 'tool',
      name: 'offer_choices',
      arguments: { prompt: 'Which size?', options: ['S', 'M', 'L'] },
    });
    const offered = (await bridge.ask(round({ ai_agent_cid: cid, roundid: 'r1', question: 'I need a jacket' })))
      .envelope.data!;
    const waiting = workflowSessions(bridge, cid);
    expect(waiting).toHaveLength(1);

    harness.llm.script({ kind: 'stream', chunks: ['Size M ', 'it is.'], intervalMs: 10_000 });
    const callsBefore = harness.llm.calls.length;
    const controller = new AbortController();
    const pick = round({ ai_agent_cid: cid, roundid: 'r2', ...click(closing(offered), 'M') });
    const asked = bridge.post(pick, { signal: controller.signal }).catch(() => undefined);
    await waitFor(() => harness.llm.calls.length === callsBefore + 1, 'the model answering the pick');
    controller.abort();
    await asked;
    await waitFor(() => storedRound(bridge, 'r2')?.status === 'aborted', 'the round stored as aborted');
    expect(workflowSessions(bridge, cid)).toEqual(waiting);

    harness.llm.script({ kind: 'stream', chunks: ['Size M it is.'] });
    await bridge.ask(round({ ai_agent_cid: cid, roundid: 'r2', ...click(closing(offered), 'M') }));
    expect(workflowSessions(bridge, cid)).toEqual([]);
  });

  it('shows products as cards through its tool', async () => {
    const bridge = await start({ model: true });
    const ask = conversation(bridge, 'json');
    harness.llm.script({
      kind: 'tool',
      name: 'show_products',
      arguments: {
        guide: 'Two good tents',
        products: [
          { name: 'Ridge 2P', price: '1299', currency: 'CNY', image: 'https://cdn.northwind.example/t.jpg' },
          { name: 'Summit 3P', price: '1899' },
        ],
      },
    });
    const shown = closing(await ask({ question: 'show me tents' }));
    expect(shown.third_interface_info?.custom_cards?.map((card) => card.custom_card_name?.param_value)).toEqual([
      'Ridge 2P',
      'Summit 3P',
    ]);
    harness.llm.script({ kind: 'stream', chunks: ['Great pick.'] });
    await ask(cardClick(shown, 1, 'Choose'));
    expect(harness.llm.calls.at(-1)!.body.messages.at(-1)).toEqual({ role: 'user', content: 'Summit 3P — Choose' });
  });

  it('hands over through its tool', async () => {
    const bridge = await start({ model: true });
    const body = round({ question: 'this is useless, get me someone' });
    harness.llm.script({
      kind: 'tool',
      name: 'hand_over',
      arguments: { reason: 'Visitor is frustrated', summary: 'Wants a person about a late order' },
    });
    const { envelope } = await bridge.ask(body);
    expect(envelope.data?.[1]).toMatchObject({
      answer_type: 'TRANSFER_INTENTION',
      llm_answer: '[Hand-over] Visitor is frustrated\nVisitor wants: Wants a person about a late order',
    });
  });

  it('ignores a tool call whose arguments are invalid, keeping the model’s text', async () => {
    const bridge = await start({ model: true });
    harness.llm.script({
      kind: 'tool',
      name: 'offer_choices',
      arguments: { prompt: 'Pick', options: ['only one'] },
      text: 'Here is my answer.',
    });
    const { envelope } = await bridge.ask(round({ question: 'hello there' }));
    expect(envelope.data?.map((item) => [item.robot_answer_message_type, item.llm_answer, item.answer_type])).toEqual([
      ['MESSAGE', 'Here is my answer.', 'GENERAL'],
      ['THIRD_ANSWER_INFO', '', 'GENERAL'],
    ]);
  });

  /** A conversation whose return request the model started, then took "Wrong size" for its first step. */
  async function modelAnsweredFirstStep() {
    const bridge = await start({ model: true });
    const ask = conversation(bridge, 'json');
    harness.llm.script({ kind: 'tool', name: 'start_workflow', arguments: { workflow: 'return-request' } });
    await ask({ question: 'the boots do not fit' });
    harness.llm.script({ kind: 'tool', name: 'answer_step', arguments: { value: 'Wrong size' } });
    return { ask, continued: await ask({ question: 'they are too small' }) };
  }

  it('lets the model judge a typed message during a step: an answer continues, anything else leaves', async () => {
    const { ask, continued } = await modelAnsweredFirstStep();
    const stepTools = harness.llm.calls.at(-1)!.body.tools as Array<{
      function: { name: string; description: string };
    }>;
    expect(stepTools.map((tool) => tool.function.name)).toEqual(['answer_step']);
    expect(stepTools[0]!.function.description).toContain('One of: Wrong size, Arrived damaged, Changed my mind');
    expect(text(continued)).toBe('What is your order number (NW- and six digits)?');

    harness.llm.script({ kind: 'stream', chunks: ['We are open 9 to 6.'] });
    const unrelated = await ask({ question: 'what are your opening hours?' });
    expect(text(unrelated)).toBe('We are open 9 to 6.');
    harness.llm.script({ kind: 'stream', chunks: ['Anything else?'] });
    const after = await ask({ question: 'Changed my mind' });
    // The workflow was left: what would have answered its step now goes to the model as a plain message, with
    // the conversation's tools rather than the step's `answer_step`.
    expect(text(after)).toBe('Anything else?');
    const tools = harness.llm.calls.at(-1)!.body.tools as Array<{ function: { name: string } }>;
    expect(tools.map((tool) => tool.function.name)).toContain('start_workflow');
  });

  it('holds its answer to a step to the checks a typed one meets: a failing value asks the step again', async () => {
    const { ask } = await modelAnsweredFirstStep();
    harness.llm.script({ kind: 'tool', name: 'answer_step', arguments: { value: '12345' } });
    const refused = await ask({ question: 'it is order 12345' });
    expect(text(refused)).toBe(
      'Please give the order number as NW- followed by six digits.\nWhat is your order number (NW- and six digits)?',
    );
    expect(closing(refused)).toMatchObject({ answer_type: 'PROCESS_VALUE_ERROR', success: false });

    harness.llm.script({ kind: 'tool', name: 'answer_step', arguments: { value: 'nw-123456' } });
    const accepted = await ask({ question: 'sorry, it is nw-123456' });
    expect(text(accepted)).toContain('For order nw-123456 (Wrong size)');
  });
});

describe('a custom workflow file', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  /** A bridge on a config file of these lines. */
  function startWith(lines: string[]) {
    const directory = mkdtempSync(join(tmpdir(), 'bridge-workflows-'));
    directories.push(directory);
    const file = join(directory, 'bridge.yaml');
    writeFileSync(file, lines.join('\n'));
    return harness.start({ env: { BRIDGE_CONFIG: file } });
  }

  it('checks number answers, branches on them, and fills templates', async () => {
    const bridge = await startWith([
      'workflows:',
      '  - id: party',
      '    name: Group booking',
      '    description: Book a group trip.',
      '    triggers: [group booking]',
      '    start: how-many',
      '    nodes:',
      '      how-many: { kind: ask-text, prompt: How many people?, variable: people, type: number, next: size }',
      '      size: { kind: branch, variable: people, cases: { "1": solo }, default: group }',
      '      solo: { kind: end, text: Just you then. }',
      '      group: { kind: say, text: "Booked for {{people}} people." }',
    ]);
    const ask = conversation(bridge, 'json');
    expect(text(await ask({ question: 'group booking please' }))).toBe('How many people?');
    const refused = await ask({ question: 'a few' });
    expect(text(refused)).toBe("Sorry, I didn't get that.\nHow many people?");
    expect(closing(refused)).toMatchObject({ answer_type: 'PROCESS_VALUE_ERROR' });
    const booked = await ask({ question: '12' });
    expect(text(booked)).toBe('Booked for 12 people.');
    expect(closing(booked)).toMatchObject({ answer_type: 'PROCESS_END' });
  });

  it('branches on typed text that names a builtin of every object as on any other: to the default', async () => {
    const bridge = await startWith([
      'workflows:',
      '  - id: colour',
      '    name: Favourite colour',
      '    description: Asks for a colour.',
      '    triggers: [colour quiz]',
      '    start: ask',
      '    nodes:',
      '      ask: { kind: ask-text, prompt: Which colour?, variable: colour, next: pick }',
      '      pick: { kind: branch, variable: colour, cases: { blue: sky }, default: other }',
      '      sky: { kind: end, text: Like the sky. }',
      '      other: { kind: end, text: Noted. }',
    ]);
    for (const typed of ['constructor', '__proto__', 'toString']) {
      const ask = conversation(bridge, 'json');
      expect(text(await ask({ question: 'colour quiz' }))).toBe('Which colour?');
      expect(text(await ask({ question: typed }))).toBe('Noted.');
    }
  });
});
