import { randomUUID } from 'node:crypto';
import pc from 'picocolors';
import { createAgentClient } from '../client/agent-client.js';
import { receiverEnvironment, startCallbackReceiver } from '../client/callback-receiver.js';
import { startLocalBridge } from '../client/local-bridge.js';
import { SobotConversation, type ConversationOptions } from '../client/sobot-conversation.js';
import { ChatSession } from './chat-session.js';
import { visitorLines } from './line-input.js';
import { createTerminalView } from './terminal-view.js';

export interface SimulateOptions {
  /** The agent URL; without it the bridge runs in this process on a temporary database. */
  url?: string | undefined;
  token?: string | undefined;
  stream: boolean;
  copilot: boolean;
  /** Mark rounds as a batch test (runtimeid/questionid), so batch callbacks are sent and shown. */
  batch: boolean;
  debug: boolean;
  raw: boolean;
  welcome: boolean;
  robotid?: string | undefined;
  companyid?: string | undefined;
  receiverPort?: number | undefined;
  receiverKey?: string | undefined;
  input?: (NodeJS.ReadableStream & { isTTY?: boolean }) | undefined;
  write?: ((text: string) => void) | undefined;
}

// Batch callbacks follow their answer; leaving waits this long for the last ones.
const CALLBACK_SETTLE_MS = 5000;

const HELP = `Type a message and press Enter. Also:
  1, 2, …            click choice n of the last answer (a button, or a card)
  2 Buy now          click card 2's button "Buy now"
  /image URL [text]  send an image message (msg_type IMG)
  /welcome           ask for the welcome message
  /new               start a new conversation (new ai_agent_cid)
  /raw               show or hide every item as JSON
  /quit              leave (also Ctrl-D)`;

/** `sobot-bridge simulate`: chat with an agent endpoint as a Sobot visitor would. */
export async function simulate(options: SimulateOptions): Promise<number> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const view = createTerminalView({ raw: options.raw, write });
  const receiver = await startCallbackReceiver((callback) => view.callback(callback), {
    port: options.receiverPort,
    appKey: options.receiverKey,
  });
  const bridge = options.url ? undefined : await startLocalBridge(receiver);
  const url = options.url ?? bridge!.webhookUrl;
  const newConversation = () => {
    const conversationOptions: ConversationOptions = {
      stream: options.stream,
      copilot: options.copilot,
      debug: options.debug,
      robotid: options.robotid,
      companyid: options.companyid,
      runtimeid: options.batch ? `sim-${randomUUID()}` : undefined,
      idPrefix: 'sim',
    };
    return new SobotConversation(conversationOptions);
  };
  const session = new ChatSession(createAgentClient({ url, token: options.token }), newConversation(), view, receiver);

  write(pc.bold(`Chatting with ${bridge ? 'the bridge in this process' : url}\n`));
  write(
    pc.dim(
      `  mode: ${options.copilot ? 'copilot' : options.stream ? 'streaming (SSE)' : 'JSON'}, conversation ${session.cid}\n`,
    ),
  );
  if (options.url) {
    write(pc.dim(`  callbacks: to see them here, start the agent with ${receiverEnvironment(receiver)}\n`));
  }
  write(pc.dim('  /help for commands\n'));
  try {
    if (options.welcome) await session.welcome();
    for await (const line of visitorLines(options.input)) {
      const done = await handleLine(line.trim(), session, view, newConversation, write);
      if (done) break;
    }
    await session.settle(CALLBACK_SETTLE_MS);
    return 0;
  } finally {
    await bridge?.stop();
    await receiver.close();
  }
}

async function handleLine(
  line: string,
  session: ChatSession,
  view: ReturnType<typeof createTerminalView>,
  newConversation: () => SobotConversation,
  write: (text: string) => void,
): Promise<boolean> {
  if (!line) return false;
  const [command, ...rest] = line.split(/\s+/);
  try {
    switch (command) {
      case '/quit':
      case '/exit':
        return true;
      case '/help':
        write(`${HELP}\n`);
        return false;
      case '/raw':
        write(pc.dim(`  raw items ${view.toggleRaw() ? 'shown' : 'hidden'}\n`));
        return false;
      case '/welcome':
        await session.welcome();
        return false;
      case '/new':
        session.newConversation(newConversation());
        write(pc.dim(`  new conversation ${session.cid}\n`));
        return false;
      case '/image':
        if (!rest[0]) write(pc.red('  /image needs a URL\n'));
        else await session.sendImage(rest[0], rest.slice(1).join(' ') || undefined);
        return false;
    }
    const choice = /^(\d+)(?:\s+(.+))?$/.exec(line);
    if (choice && session.choices.length > 0) {
      await session.click(Number(choice[1]), choice[2]);
      return false;
    }
    await session.say(line);
  } catch (error) {
    view.problem(error instanceof Error ? error.message : String(error));
  }
  return false;
}
