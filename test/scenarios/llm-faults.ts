import type { FakeOpenAI, LlmBehaviour } from '../fakes/fake-openai.js';
import { round, startBridge, storedRound } from '../helpers/bridge.js';
import { freePort } from '../helpers/free-port.js';

/**
 * The model API's faults, each as the fake LLM plays it, with how the round must end: before any text,
 * the fallback (both modes); after text went out in a stream, ERROR_END; in JSON, the fallback anyway.
 * Shared by test/llm-failures.test.ts and `npm run resilience`.
 */
export interface LlmFault {
  name: string;
  /** What the fake LLM does on each call; none when the model API refuses connections. */
  behaviours: LlmBehaviour[];
  /** OPENAI_MAX_RETRIES for this fault. */
  retries: number;
  /** Text the model streams before it fails. */
  textBefore: string[];
  /** The stored error names this. */
  reason: string;
  /** Model calls the round makes (retries included); undefined when nothing listens. */
  calls?: number;
}

export const FALLBACK = 'Sorry, our assistant is unavailable.';
export const DEADLINES = { firstTokenMs: 300, totalMs: 800 };

const firstTokenTimeout = `no first token within ${DEADLINES.firstTokenMs} ms`;

export const llmFaults: LlmFault[] = [
  { name: 'refused connection', behaviours: [], retries: 0, textBefore: [], reason: 'cannot reach the model API' },
  // The backoff before a retry (about 0.5 s) is longer than the first-token deadline.
  {
    name: 'refused connection, retries pending',
    behaviours: [],
    retries: 2,
    textBefore: [],
    reason: firstTokenTimeout,
  },
  {
    name: 'HTTP 500',
    behaviours: [{ kind: 'status', status: 500, message: 'upstream exploded' }],
    retries: 0,
    textBefore: [],
    reason: 'HTTP 500',
    calls: 1,
  },
  {
    name: 'HTTP 500 on every retry',
    behaviours: [
      { kind: 'status', status: 500, headers: { 'retry-after': '0' } },
      { kind: 'status', status: 500, headers: { 'retry-after': '0' } },
    ],
    retries: 1,
    textBefore: [],
    reason: 'HTTP 500',
    calls: 2,
  },
  {
    name: 'HTTP 429, no retries left',
    behaviours: [{ kind: 'status', status: 429, headers: { 'retry-after': '0' } }],
    retries: 0,
    textBefore: [],
    reason: 'HTTP 429',
    calls: 1,
  },
  // Honouring Retry-After must not outlast the round's own deadline.
  {
    name: 'HTTP 429, Retry-After past the deadline',
    behaviours: [{ kind: 'status', status: 429, headers: { 'retry-after': '30' } }],
    retries: 1,
    textBefore: [],
    reason: firstTokenTimeout,
    calls: 1,
  },
  {
    name: 'stall before the first token',
    behaviours: [{ kind: 'stall', chunks: [] }],
    retries: 0,
    textBefore: [],
    reason: firstTokenTimeout,
    calls: 1,
  },
  {
    name: 'stall mid-stream',
    behaviours: [{ kind: 'stall', chunks: ['Still thinking'] }],
    retries: 0,
    textBefore: ['Still thinking'],
    reason: `no complete answer within ${DEADLINES.totalMs} ms`,
    calls: 1,
  },
  {
    name: 'reset before the response',
    behaviours: [{ kind: 'reset' }],
    retries: 0,
    textBefore: [],
    reason: 'cannot reach the model API',
    calls: 1,
  },
  {
    name: 'reset before the first token',
    behaviours: [{ kind: 'drop', chunks: [] }],
    retries: 0,
    textBefore: [],
    reason: 'upstream',
    calls: 1,
  },
  {
    name: 'reset mid-stream',
    behaviours: [{ kind: 'drop', chunks: ['Half ', 'an answ'] }],
    retries: 0,
    textBefore: ['Half ', 'an answ'],
    reason: 'upstream',
    calls: 1,
  },
  {
    name: 'garbage instead of SSE',
    behaviours: [{ kind: 'garbage' }],
    retries: 0,
    textBefore: [],
    reason: 'upstream',
    calls: 1,
  },
  {
    name: 'garbage mid-stream',
    behaviours: [{ kind: 'garbage', chunks: ['Good so far'] }],
    retries: 0,
    textBefore: ['Good so far'],
    reason: 'upstream',
    calls: 1,
  },
];

export type Mode = 'json' | 'sse';

export interface FaultOutcome {
  fault: LlmFault;
  mode: Mode;
  status: number;
  /** The reply's items as [type, text, message_end, answer_type, success]. */
  items: Array<[string, string, boolean, string, boolean | undefined]>;
  row: Record<string, unknown> | undefined;
  llmCalls: number;
  elapsedMs: number;
  /** The deadline the round had to end by: the first token's before any text, else the total. */
  deadlineMs: number;
}

/** Plays one fault against a fresh bridge on loopback and reports how the round ended. */
export async function runLlmFault(llm: FakeOpenAI, fault: LlmFault, mode: Mode): Promise<FaultOutcome> {
  const baseUrl = fault.behaviours.length === 0 ? `http://127.0.0.1:${await freePort()}/v1` : llm.baseUrl;
  const bridge = await startBridge({
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: baseUrl,
      OPENAI_MAX_RETRIES: String(fault.retries),
      FALLBACK_TEXT: FALLBACK,
      LLM_FIRST_TOKEN_TIMEOUT_MS: String(DEADLINES.firstTokenMs),
      LLM_TOTAL_TIMEOUT_MS: String(DEADLINES.totalMs),
    },
  });
  try {
    llm.script(...fault.behaviours);
    const callsBefore = llm.calls.length;
    const body = round();
    const started = performance.now();
    const reply =
      mode === 'json'
        ? await bridge.ask(body).then(({ status, envelope }) => ({ status, items: envelope.data ?? [] }))
        : await bridge.askStream(body);
    const elapsedMs = performance.now() - started;
    return {
      fault,
      mode,
      status: reply.status,
      items: reply.items.map((item) => [
        item.robot_answer_message_type,
        item.llm_answer,
        item.message_end,
        item.answer_type,
        item.success,
      ]),
      row: storedRound(bridge, body.roundid),
      llmCalls: llm.calls.length - callsBefore,
      elapsedMs,
      deadlineMs: fault.textBefore.length > 0 ? DEADLINES.totalMs : DEADLINES.firstTokenMs,
    };
  } finally {
    await bridge.stop();
    bridge.cleanup();
  }
}

/**
 * What the outcome got wrong (empty when the round ended as the protocol says, by its deadline). `overrunMs`: how
 * long after its deadline a round may still end, for the process's and the loopback's own delays.
 */
export function faultProblems(outcome: FaultOutcome, overrunMs = 250): string[] {
  const { fault, mode, items, row } = outcome;
  const problems: string[] = [];
  const shownText = mode === 'sse' && fault.textBefore.length > 0;
  const expected: FaultOutcome['items'] = shownText
    ? [
        ...fault.textBefore.map((text): FaultOutcome['items'][number] => [
          'MESSAGE',
          text,
          false,
          'GENERAL',
          undefined,
        ]),
        ['ERROR_END', '', true, 'UNKNOWN', false],
      ]
    : [
        ['MESSAGE', FALLBACK, true, 'UNKNOWN', undefined],
        ['THIRD_ANSWER_INFO', '', true, 'UNKNOWN', false],
      ];
  if (outcome.status !== 200) problems.push(`HTTP ${outcome.status}, expected 200`);
  // `success` is only meaningful on closing items.
  const comparable = items.map(([type, text, end, answerType, success]) => [
    type,
    text,
    end,
    answerType,
    type === 'MESSAGE' ? undefined : success,
  ]);
  if (JSON.stringify(comparable) !== JSON.stringify(expected)) {
    problems.push(`items ${JSON.stringify(items)}, expected ${JSON.stringify(expected)}`);
  }
  if (row?.status !== 'failed') problems.push(`stored status ${String(row?.status)}, expected failed`);
  if (row?.success !== 0) problems.push('stored success is not false');
  if (!String(row?.error ?? '').includes(fault.reason)) {
    problems.push(`stored error ${JSON.stringify(row?.error)} does not name "${fault.reason}"`);
  }
  const storedText = shownText ? fault.textBefore.join('') : FALLBACK;
  if (row?.answer_text !== storedText) problems.push(`stored answer_text ${JSON.stringify(row?.answer_text)}`);
  if (fault.calls !== undefined && outcome.llmCalls !== fault.calls) {
    problems.push(`${outcome.llmCalls} model calls, expected ${fault.calls}`);
  }
  const overrun = outcome.elapsedMs - outcome.deadlineMs;
  if (overrun > overrunMs) {
    problems.push(`ended ${Math.round(overrun)} ms after its ${outcome.deadlineMs} ms deadline`);
  }
  return problems;
}
