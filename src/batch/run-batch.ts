import type { AgentClient } from '../client/agent-client.js';
import type { CallbackReceiver } from '../client/callback-receiver.js';
import { SobotConversation } from '../client/sobot-conversation.js';
import { answerText } from '../contract-check/answer-sequence.js';
import type { BatchCase } from './batch-cases.js';
import type { BatchCaseResult, BatchReport } from './batch-report.js';
import { countBy } from '../util/statistics.js';
import { summariseLatency } from './latency-summary.js';
import { scoreAnswer } from './score-case.js';

export interface BatchRunOptions {
  client: AgentClient;
  targetUrl: string;
  cases: Array<BatchCase & { questionid: string }>;
  runtimeid: string;
  concurrency: number;
  stream: boolean;
  /** Where batch callbacks arrive, and how long to wait for each after its answer; none: not checked. */
  callbacks?: { receiver: CallbackReceiver; waitMs: number } | undefined;
  onResult?: ((result: BatchCaseResult) => void) | undefined;
  now?: (() => Date) | undefined;
}

/**
 * A batch test as Sobot runs one: every question its own conversation, all under one `runtimeid` with its own
 * `questionid`, at most `concurrency` at once; answers and batch callbacks collected and scored.
 */
export async function runBatch(options: BatchRunOptions): Promise<BatchReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const results: BatchCaseResult[] = new Array(options.cases.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < options.cases.length; index = next++) {
      const result = await runCase(options, options.cases[index]!);
      results[index] = result;
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.cases.length) }, worker));
  return {
    version: 1,
    runtimeid: options.runtimeid,
    targetUrl: options.targetUrl,
    mode: options.stream ? 'stream' : 'json',
    concurrency: options.concurrency,
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
    summary: summarise(results),
    results,
  };
}

async function runCase(
  options: BatchRunOptions,
  testCase: BatchCase & { questionid: string },
): Promise<BatchCaseResult> {
  const conversation = new SobotConversation({
    stream: options.stream,
    runtimeid: options.runtimeid,
    idPrefix: 'batch',
  });
  const request = { ...conversation.text(testCase.question), questionid: testCase.questionid };
  const expectations = {
    expectedAnswer: testCase.expectedAnswer,
    keywords: testCase.keywords,
    expectedAnswerType: testCase.expectedAnswerType,
  };
  const base = {
    questionid: testCase.questionid,
    question: testCase.question,
    ...expectations,
    roundid: request.roundid,
    cid: request.ai_agent_cid,
  };
  try {
    const reply = await options.client(request);
    const closing = reply.items.at(-1);
    const answer = {
      answer: answerText(reply.items),
      answerType: closing?.answer_type ?? null,
      success: closing?.success ?? null,
    };
    const failures = [...reply.problems, ...scoreAnswer(testCase, answer)];
    if (reply.status !== 200) failures.unshift(`HTTP ${reply.status}`);
    let callbackReceived: boolean | null = null;
    if (options.callbacks) {
      const callback = await options.callbacks.receiver.waitFor(
        (received) => received.kind === 'batch' && received.items.some((item) => item.roundid === request.roundid),
        options.callbacks.waitMs,
      );
      callbackReceived = Boolean(callback);
      if (!callback) failures.push('no batch callback reached the receiver');
    }
    return {
      ...base,
      ...answer,
      latencyMs: Math.round(reply.totalMs),
      callbackReceived,
      passed: failures.length === 0,
      failures,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ...base,
      answer: '',
      answerType: null,
      success: null,
      latencyMs: 0,
      callbackReceived: null,
      passed: false,
      failures: [`request failed: ${message}`],
      error: message,
    };
  }
}

function summarise(results: BatchCaseResult[]): BatchReport['summary'] {
  const passed = results.filter((result) => result.passed).length;
  const checked = results.filter((result) => result.callbackReceived !== null);
  return {
    total: results.length,
    passed,
    failed: results.length - passed,
    passRate: results.length ? passed / results.length : 0,
    latency: summariseLatency(results.filter((result) => !result.error).map((result) => result.latencyMs)),
    answerTypes: countBy(results, (result) => result.answerType ?? 'none'),
    callbacks: { expected: checked.length, received: checked.filter((result) => result.callbackReceived).length },
  };
}
