import { startFakeOpenAI, type ChatRequestBody } from '../fakes/fake-openai.js';
import { startBridge, storedRound } from '../helpers/bridge.js';
import { waitFor } from '../helpers/wait-for.js';
import { checkReply } from './check-reply.js';

export interface OrderReport {
  conversations: number;
  messages: number;
  replyProblems: string[];
  /** Messages whose reply finished before the reply to an earlier message of the same visitor. */
  answeredOutOfOrder: number;
  /** Messages whose model call did not carry every earlier message of the visitor, in order, with its answer. */
  missingContext: number;
}

/**
 * Visitors each send several messages back-to-back: each as soon as the bridge has taken the previous
 * one (its round is stored as running), long before the model answers it. The model takes its time.
 * Each visitor's messages must be answered in the order sent, each with the earlier ones as context.
 */
export async function runConversationOrder(conversations: number, messagesEach: number): Promise<OrderReport> {
  const llm = await startFakeOpenAI();
  llm.respondWith((body) => ({ kind: 'stream', chunks: ['Answer to ', lastUser(body)], firstTokenDelayMs: 60 }));
  const bridge = await startBridge({
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.baseUrl, LLM_MAX_CONCURRENCY: '64' },
  });
  const report: OrderReport = {
    conversations,
    messages: conversations * messagesEach,
    replyProblems: [],
    answeredOutOfOrder: 0,
    missingContext: 0,
  };
  try {
    const visitor = async (conversation: number) => {
      const cid = `order-c${conversation}`;
      const questions = Array.from({ length: messagesEach }, (_, index) => `message ${index} of ${cid}`);
      const finished: number[] = [];
      const replies: Array<Promise<void>> = [];
      for (const [index, question] of questions.entries()) {
        const roundid = `${cid}-r${index}`;
        const body = { roundid, ai_agent_cid: cid, question, req_stream: index % 2 === 1 };
        const reply = fetch(`${bridge.url}/sobot/agent`, { method: 'POST', body: JSON.stringify(body) })
          .then(checkReply)
          .then((checked) => {
            report.replyProblems.push(...checked.problems);
            finished.push(index);
          });
        replies.push(reply);
        await waitFor(() => storedRound(bridge, roundid) !== undefined, `round ${roundid} to be taken`);
      }
      await Promise.all(replies);
      report.answeredOutOfOrder += finished.filter((index, position) => index !== position).length;
      for (const [index, question] of questions.entries()) {
        const call = llm.calls.find((recorded) => lastUser(recorded.body) === question);
        const context = call?.body.messages.filter((message) => message.role !== 'system').slice(0, -1) ?? [];
        const expected = questions
          .slice(0, index)
          .flatMap((earlier) => [`user:${earlier}`, `assistant:Answer to ${earlier}`]);
        const seen = context.map((message) => `${message.role}:${String(message.content)}`);
        if (!call || JSON.stringify(seen) !== JSON.stringify(expected)) report.missingContext++;
      }
    };
    await Promise.all(Array.from({ length: conversations }, (_, conversation) => visitor(conversation)));
    return report;
  } finally {
    await bridge.stop();
    bridge.cleanup();
    await llm.close();
  }
}

function lastUser(body: ChatRequestBody): string {
  const content = body.messages.at(-1)?.content;
  return typeof content === 'string' ? content : '';
}
