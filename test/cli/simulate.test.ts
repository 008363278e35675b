import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAgentClient } from '../../src/client/agent-client.js';
import {
  startCallbackReceiver,
  type CallbackReceiver,
  type ReceivedCallback,
} from '../../src/client/callback-receiver.js';
import { SobotConversation, type ConversationOptions } from '../../src/client/sobot-conversation.js';
import { ChatSession, type ChatView, type Turn } from '../../src/simulate/chat-session.js';
import { sobotEnv } from '../fakes/fake-sobot.js';
import { startFakeEnterprise, type FakeEnterprise } from '../fakes/fake-enterprise.js';
import { storedRound, type Bridge } from '../helpers/bridge.js';
import { runCli } from '../helpers/run-cli.js';
import { useTestHarness } from '../helpers/test-harness.js';

const harness = useTestHarness();
let enterprise: FakeEnterprise;
let receiver: CallbackReceiver;
const shownCallbacks: ReceivedCallback[] = [];
beforeAll(async () => {
  enterprise = await startFakeEnterprise();
});
afterEach(async () => {
  await receiver?.close();
  shownCallbacks.length = 0;
});
afterAll(async () => {
  await enterprise.close();
});

/** A bridge with the sample workflows and the fake LLM, calling back to a fresh local receiver. */
async function start(): Promise<Bridge> {
  receiver = await startCallbackReceiver((callback) => shownCallbacks.push(callback));
  return harness.start({
    env: harness.llmEnv({
      BRIDGE_CONFIG: 'bridge.yaml',
      PRODUCT_API_URL: `${enterprise.baseUrl}/products/search`,
      ORDER_API_URL: `${enterprise.baseUrl}/orders/lookup`,
      ...sobotEnv(receiver),
    }),
  });
}

/** A view that records what a terminal would show. */
function recordingView() {
  const shown = { deltas: [] as string[], turns: [] as Turn[], problems: [] as string[] };
  const view: ChatView = {
    text: (delta) => shown.deltas.push(delta),
    item: () => {},
    answered: (turn) => shown.turns.push(turn),
    callback: () => {},
    problem: (message) => shown.problems.push(message),
  };
  return { shown, view };
}

function chat(bridge: Bridge, options: ConversationOptions = {}) {
  const { shown, view } = recordingView();
  const client = createAgentClient({ url: `${bridge.url}/sobot/agent` });
  return { shown, session: new ChatSession(client, new SobotConversation(options), view, receiver) };
}

describe('simulate, through its programmatic API', () => {
  it('renders a streamed answer delta by delta as it arrives', async () => {
    const bridge = await start();
    harness.llm.script({ kind: 'stream', chunks: ['Ships ', 'in two ', 'days.'], intervalMs: 20 });
    const { shown, session } = chat(bridge, { stream: true });

    const turn = await session.say('When does my parcel ship?');

    expect(shown.deltas).toEqual(['Ships ', 'in two ', 'days.']);
    expect(turn.text).toBe('Ships in two days.');
    expect(turn.closing).toMatchObject({ robot_answer_message_type: 'THIRD_ANSWER_INFO', answer_type: 'GENERAL' });
    expect(shown.problems).toEqual([]);
  });

  it('numbers buttons and cards and sends the exact click payloads the document describes', async () => {
    const bridge = await start();
    const { session } = chat(bridge, { stream: false });

    const buttons = await session.say('Can you recommend something?');
    expect(session.choices.map((choice) => choice.label)).toEqual(['Camping', 'Hiking', 'Climbing']);
    const cards = await session.click(1);
    const buttonClick = storedRound(bridge, cards.request.roundid)!;
    expect(JSON.parse(String(buttonClick.request))).toMatchObject({
      input_type_enum: 'PROCESS_CLICK',
      process_info: {
        process_id: buttons.closing!.third_processid,
        node_id: buttons.closing!.third_nodeid,
        variable_id: buttons.closing!.third_variable_id,
        variable_value: 'Camping',
      },
    });

    expect(session.choices.map((choice) => choice.label)).toEqual(['Ridge 2P Tent', 'Ember 0°C Sleeping Bag']);
    const picked = await session.click(2, 'Tell me more');
    expect(picked.text).toContain('BAG-0C');
    expect(picked.closing?.answer_type).not.toBe('PROCESS_VALUE_ERROR');

    const cardClick = JSON.parse(String(storedRound(bridge, picked.request.roundid)!.request));
    expect(cardClick.input_type_enum).toBe('PROCESS_CARD_CLICK');
    // interface_info: the whole offered object, cardStyle "0", in OpenInterfaceInfo's camelCase.
    expect(cardClick.interface_info.cardStyle).toBe('0');
    expect(cardClick.interface_info.customCards).toHaveLength(2);
    // show_question: the same object as a string, keeping only the clicked card.
    const shownQuestion = JSON.parse(cardClick.show_question);
    expect(shownQuestion.cardStyle).toBe('0');
    expect(
      shownQuestion.customCards.map(
        (card: { customCardName: { paramValue: string } }) => card.customCardName.paramValue,
      ),
    ).toEqual(['Ember 0°C Sleeping Bag']);
    // question: one entry per paramInfo of the clicked card, with the step's ids and the button's name.
    expect(JSON.parse(cardClick.question)).toEqual([
      {
        processId: cards.closing!.third_processid,
        nodeId: cards.closing!.third_nodeid,
        variableId: 'product',
        variableValue: 'BAG-0C',
        customCardButtonName: 'Tell me more',
      },
    ]);
  });

  it('sends an image message as msg_type IMG with the URL as the question', async () => {
    const bridge = await start();
    const { session } = chat(bridge);

    const turn = await session.sendImage('https://cdn.example/broken-zip.jpg', 'The zip broke');

    expect(storedRound(bridge, turn.request.roundid)).toMatchObject({
      msg_type: 'IMG',
      question: 'https://cdn.example/broken-zip.jpg',
    });
    const content = harness.llm.calls.at(-1)!.body.messages.at(-1)!.content;
    expect(content).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'image_url',
          image_url: expect.objectContaining({ url: 'https://cdn.example/broken-zip.jpg' }),
        }),
      ]),
    );
  });

  it('shows a copilot answer from its callback, and batch callbacks as they arrive', async () => {
    const bridge = await start();
    const copilot = chat(bridge, { copilot: true });
    const turn = await copilot.session.say('Draft a reply about delivery');
    expect(turn.reply.items).toEqual([]); // the webhook only acknowledged
    expect(turn.text).toMatch(/^You said: Draft a reply about delivery/);
    expect(shownCallbacks.find((callback) => callback.kind === 'copilot')).toMatchObject({
      authorised: true,
      problems: [],
    });

    const batch = chat(bridge, { runtimeid: 'run-7' });
    const answered = await batch.session.say('Is this in stock?');
    const callback = await receiver.waitFor((received) => received.kind === 'batch', 5000);
    expect(callback?.items[0]).toMatchObject({
      runtimeid: 'run-7',
      questionid: 'q1',
      roundid: answered.request.roundid,
      llm_answer: expect.stringContaining('You said: Is this in stock?'),
      success: true,
    });
  });
});

describe('sobot-bridge simulate, as a command', () => {
  it('chats with the bridge in its own process when no --url is given, reading piped lines', async () => {
    const output = await runCli(
      ['simulate', '--stream'],
      ['How long does shipping take?', 'I want to return an order', '1', '/quit'],
    );

    expect(output.code).toBe(0);
    expect(output.stdout).toContain('Chatting with the bridge in this process');
    expect(output.stdout).toContain('Hello! How can I help you today?'); // the welcome round
    expect(output.stdout).toMatch(/business days/); // the sample FAQ's shipping answer
    expect(output.stdout).toContain('[1] Wrong size');
    expect(output.stdout).toMatch(/order number/i); // the step after the click
  });

  it('looks orders up in the sample shop that runs beside the in-process bridge', async () => {
    const output = await runCli(['simulate', '--no-welcome'], ['where is my order', 'NW-123452', '/quit'], {
      BRIDGE_CONFIG: '',
      ORDER_API_URL: '',
      PRODUCT_API_URL: '',
    });

    expect(output.code).toBe(0);
    expect(output.stdout).toContain('Order NW-123452 is out for delivery. Expected delivery today.');
  });

  it('shows the batch callback of a round sent just before leaving', async () => {
    const output = await runCli(['simulate', '--batch', '--no-welcome'], ['How long does shipping take?', '/quit']);

    expect(output.code).toBe(0);
    expect(output.stdout).toMatch(/batch callback \(token ok\): THIRD_ANSWER_INFO QA_DIRECT success/);
  });
});
