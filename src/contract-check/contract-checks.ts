import { buttonClickFields, cardClickFields } from '../client/offers.js';
import type { AgentReply } from '../client/agent-client.js';
import { answerText, echoProblems, messageEndProblems, sequenceProblems } from './answer-sequence.js';
import type { ContractProbe, Exchange } from './contract-probe.js';

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckOutcome {
  status: CheckStatus;
  /** Why it failed or was skipped; what was seen when it passed. */
  detail: string;
}

/** One named rule of the contract, as `check` reports it. */
export interface ContractCheck {
  name: string;
  rule: string;
  run(probe: ContractProbe): Promise<CheckOutcome>;
}

const pass = (detail = ''): CheckOutcome => ({ status: 'pass', detail });
const skip = (detail: string): CheckOutcome => ({ status: 'skip', detail });
const verdict = (problems: string[], passDetail = ''): CheckOutcome =>
  problems.length ? { status: 'fail', detail: problems.join('; ') } : pass(passDetail);

/** A reply that should be an answer: HTTP 200, success code, items readable. */
function answerProblems({ reply }: Exchange): string[] {
  const problems = [...reply.problems];
  if (reply.status !== 200) problems.unshift(`HTTP ${reply.status}`);
  if (reply.envelope && reply.envelope.code !== '000000')
    problems.push(`ret_code ${reply.envelope.code}: ${reply.envelope.message}`);
  return problems;
}

/** A refusal: HTTP 4xx with the envelope and a non-success code. */
function refusalProblems(reply: AgentReply, expected: string): string[] {
  if (reply.status < 400 || reply.status >= 500) return [`${expected}: answered HTTP ${reply.status}, expected a 4xx`];
  if (!reply.envelope)
    return [`HTTP ${reply.status} but the body is not Sobot's envelope (${reply.problems[0] ?? 'no envelope'})`];
  if (reply.envelope.code === '000000') return [`HTTP ${reply.status} with ret_code 000000 (success)`];
  return [];
}

export const contractChecks: ContractCheck[] = [
  {
    name: 'json-reply',
    rule: 'req_stream false: HTTP 200, JSON envelope with ret_code 000000 and a data list of ThirdAlgorithmRespVo',
    run: async (probe) => {
      const exchange = await probe.json();
      const problems = answerProblems(exchange);
      if (!exchange.reply.envelope) problems.push(`content-type ${exchange.reply.contentType}, no JSON envelope`);
      return verdict(problems, `${exchange.reply.items.length} items`);
    },
  },
  {
    name: 'json-sequence',
    rule: 'non-streaming: MESSAGE items, then exactly one closing item, last',
    run: async (probe) => verdict(sequenceProblems((await probe.json()).reply.items)),
  },
  {
    name: 'stream-reply',
    rule: 'req_stream true: HTTP 200, text/event-stream, every data frame a ThirdAlgorithmRespVo',
    run: async (probe) => {
      const exchange = await probe.stream();
      const problems = answerProblems(exchange);
      if (!exchange.reply.contentType?.includes('text/event-stream')) {
        problems.push(`content-type ${exchange.reply.contentType ?? 'none'}, expected text/event-stream`);
      }
      return verdict(problems, `${exchange.reply.items.length} events`);
    },
  },
  {
    name: 'stream-sequence',
    rule: 'streaming: MESSAGE events, then exactly one closing event, last',
    run: async (probe) => verdict(sequenceProblems((await probe.stream()).reply.items)),
  },
  {
    name: 'message-end',
    rule: 'the last MESSAGE of an answer has message_end: true, none before it (both modes)',
    run: async (probe) => {
      const [json, stream] = await Promise.all([probe.json(), probe.stream()]);
      return verdict([
        ...messageEndProblems(json.reply.items).map((problem) => `JSON: ${problem}`),
        ...messageEndProblems(stream.reply.items).map((problem) => `SSE: ${problem}`),
      ]);
    },
  },
  {
    name: 'ids-echoed',
    rule: "every item echoes the request's roundid and companyid (both modes)",
    run: async (probe) => {
      const [json, stream] = await Promise.all([probe.json(), probe.stream()]);
      return verdict([
        ...echoProblems(json.reply.items, json.request),
        ...echoProblems(stream.reply.items, stream.request),
      ]);
    },
  },
  {
    name: 'replay',
    rule: 'a repeated roundid gets the same answer again (Sobot retries rounds)',
    run: async (probe) => {
      const first = await probe.json();
      const again = await probe.send(first.request);
      const problems = answerProblems(again);
      const [before, after] = [answerText(first.reply.items), answerText(again.reply.items)];
      if (before !== after) problems.push(`answer changed: "${before.slice(0, 60)}" then "${after.slice(0, 60)}"`);
      const types = [first, again].map((exchange) => exchange.reply.items.at(-1)?.answer_type);
      if (types[0] !== types[1]) problems.push(`answer_type changed: ${types[0]} then ${types[1]}`);
      return verdict(problems);
    },
  },
  {
    name: 'welcome',
    rule: 'input_type_enum WELCOME gets an answer',
    run: async (probe) => {
      const exchange = await probe.send(probe.conversation(false).welcome());
      return verdict([...answerProblems(exchange), ...sequenceProblems(exchange.reply.items)]);
    },
  },
  {
    name: 'bad-json',
    rule: 'a body that is not JSON is refused with a 4xx in the envelope',
    run: async (probe) => {
      const request = probe.conversation(false).text('x');
      const { reply } = await probe.send(request, { rawBody: '{"roundid": "broken",' });
      return verdict(refusalProblems(reply, 'invalid JSON'), `HTTP ${reply.status}`);
    },
  },
  {
    name: 'missing-ids',
    rule: 'a request without roundid or ai_agent_cid is refused with a 4xx in the envelope',
    run: async (probe) => {
      const { roundid: _roundid, ai_agent_cid: _cid, ...rest } = probe.conversation(false).text('hello');
      const { reply } = await probe.send({ roundid: '', ai_agent_cid: '' }, { rawBody: JSON.stringify(rest) });
      return verdict(refusalProblems(reply, 'no roundid'), `HTTP ${reply.status}`);
    },
  },
  {
    name: 'auth',
    rule: 'with a token configured: no token or a wrong one is refused (401/403) in the envelope',
    run: async (probe) => {
      if (!probe.options.token) return skip('no --token given');
      const request = () => probe.conversation(false).text(probe.options.question);
      const missing = await probe.send(request(), { withoutToken: true });
      const wrong = await probe.send(request(), {
        withoutToken: true,
        headers: { authorization: 'Bearer wrong-token' },
      });
      const problems = (
        [
          ['no token', missing],
          ['wrong token', wrong],
        ] as const
      ).flatMap(([label, { reply }]) =>
        reply.status === 401 || reply.status === 403
          ? refusalProblems(reply, label)
          : [`${label}: answered HTTP ${reply.status}, expected 401 or 403`],
      );
      return verdict(problems, `HTTP ${missing.reply.status} / ${wrong.reply.status}`);
    },
  },
  {
    name: 'button-click',
    rule: 'a PROCESS_CLICK with process_info on an offered button is answered, not refused',
    run: async (probe) => {
      const offered = await probe.offer('buttons');
      if (offered?.offer.kind !== 'buttons') return skip('the offer questions got no buttons');
      const value = offered.offer.values[0]!;
      const exchange = await probe.send(offered.conversation.request(buttonClickFields(offered.offer, value)));
      return verdict(clickProblems(exchange), `clicked "${value}"`);
    },
  },
  {
    name: 'card-click',
    rule: 'a PROCESS_CARD_CLICK built from an offered card (interface_info, show_question, question) is answered',
    run: async (probe) => {
      const offered = await probe.offer('cards');
      if (offered?.offer.kind !== 'cards') return skip('the offer questions got no cards');
      const button = offered.offer.cards[0]!.custom_menus?.[0]?.menu_name;
      const exchange = await probe.send(offered.conversation.request(cardClickFields(offered.offer, 0, button)));
      return verdict(clickProblems(exchange), `clicked card 1${button ? ` (${button})` : ''}`);
    },
  },
];

function clickProblems(exchange: Exchange): string[] {
  const problems = [...answerProblems(exchange), ...sequenceProblems(exchange.reply.items)];
  const closing = exchange.reply.items.at(-1);
  if (closing?.answer_type === 'PROCESS_VALUE_ERROR')
    problems.push(`refused as PROCESS_VALUE_ERROR: ${answerText(exchange.reply.items)}`);
  return problems;
}
