import type { CallbackKind } from '../../src/store/schema.js';
import { checkReply, type CheckedReply } from './check-reply.js';

/** How a round is asked: answered in the reply (JSON or SSE), by callback (copilot), or both (batch). */
export const roundModes = ['json', 'sse', 'copilot', 'batch-json', 'batch-sse', 'copilot-batch'] as const;
export type RoundMode = (typeof roundModes)[number];

export interface PlannedRound {
  mode: RoundMode;
  body: Record<string, unknown>;
  /** The callbacks Sobot must receive for this round, once each. */
  owes: CallbackKind[];
}

/** Round `index` of a run, cycling through the modes; `label` keeps runs' ids apart. */
export function plannedRound(label: string, index: number, question = `Question ${index} of ${label}`): PlannedRound {
  const mode = roundModes[index % roundModes.length]!;
  const batch = mode.includes('batch');
  const copilot = mode.startsWith('copilot');
  return {
    mode,
    owes: [...(copilot ? (['copilot'] as const) : []), ...(batch ? (['batch'] as const) : [])],
    body: {
      roundid: `${label}-r${index}`,
      ai_agent_cid: `${label}-c${index}`,
      companyid: 'company-1',
      robotid: 'robot-1',
      question,
      req_stream: mode === 'sse' || mode === 'batch-sse',
      copilot,
      ...(batch ? { runtimeid: `${label}-run`, questionid: `q${index}` } : {}),
    },
  };
}

/** Posts a round and checks its reply against the protocol; a copilot round's reply is the bare acknowledgement. */
export async function askRound(url: string, round: PlannedRound): Promise<CheckedReply> {
  const response = await fetch(`${url}/sobot/agent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(round.body),
  });
  const reply = await checkReply(response);
  if (reply.status !== 200) reply.problems.push(`HTTP ${reply.status}`);
  const answered = round.body.copilot ? reply.items.length === 0 : reply.items.at(-1)?.success === true;
  if (!answered) reply.problems.push(`${round.mode} round ${String(round.body.roundid)} not answered as expected`);
  return reply;
}
