import { performance } from 'node:perf_hooks';
import type { ChildServer } from './child-server.js';
import type { LlmProfile } from './fake-llm.js';
import { closeIdleConnections, post, type Exchange } from './http-client.js';
import { chatBody, nextTag, sobotBody, type RelaySetup } from './relay-setup.js';

interface ThroughputTotals {
  completed: number;
  failed: number;
  seconds: number;
  cpuMs: number;
}

/** `concurrency` clients, each sending the next round as soon as one ends, for `durationMs`; added to `totals`. */
async function runClients(
  concurrency: number,
  durationMs: number,
  once: () => Promise<Exchange>,
  accept: (exchange: Exchange) => boolean,
  server: ChildServer,
  totals: ThroughputTotals,
) {
  const cpuBefore = server.cpuMs();
  const started = performance.now();
  const end = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        if (accept(await once())) totals.completed++;
        else totals.failed++;
      }
    }),
  );
  totals.seconds += (performance.now() - started) / 1000;
  totals.cpuMs += server.cpuMs() - cpuBefore;
}

const summary = ({ completed, failed, seconds, cpuMs }: ThroughputTotals) => ({
  perSecond: completed / seconds,
  completed,
  failed,
  // CPU time per round is what the machine's other load distorts least.
  cpuMsPerRound: cpuMs / (completed + failed),
});

/**
 * Rounds per second at concurrency 32: the floor relay, the bridge answering JSON, the bridge
 * streaming. Run in turns of one second, round-robin, so that other work on the machine weighs on all
 * three alike rather than on whichever ran while it peaked.
 */
export async function measureAllThroughput(setup: RelaySetup, profile: LlmProfile, durationMs: number) {
  setup.llm.profile = profile;
  closeIdleConnections();
  const concurrency = 32;
  const bridgeUrl = new URL(`${setup.bridge.url}/sobot/agent`);
  const floorUrl = new URL(setup.floor.url);
  const contenders = {
    floor: {
      once: () => post(floorUrl, chatBody(nextTag())),
      accept: (exchange: Exchange) => exchange.status === 200 && exchange.body.includes('[DONE]'),
      server: setup.floor,
    },
    json: {
      once: () => post(bridgeUrl, sobotBody(nextTag(), false)),
      accept: (exchange: Exchange) => exchange.status === 200 && exchange.body.includes('word0'),
      server: setup.bridge,
    },
    sse: {
      once: () => post(bridgeUrl, sobotBody(nextTag(), true)),
      accept: (exchange: Exchange) => exchange.status === 200 && exchange.frameArrivals.length >= profile.chunks + 2,
      server: setup.bridge,
    },
  };
  const totals = {
    floor: { completed: 0, failed: 0, seconds: 0, cpuMs: 0 },
    json: { completed: 0, failed: 0, seconds: 0, cpuMs: 0 },
    sse: { completed: 0, failed: 0, seconds: 0, cpuMs: 0 },
  };
  // Warm up (JIT, connection pools) before anything counts.
  for (const { once, accept, server } of Object.values(contenders)) {
    await runClients(concurrency, 500, once, accept, server, { completed: 0, failed: 0, seconds: 0, cpuMs: 0 });
  }
  const turn = 1000;
  for (let elapsed = 0; elapsed < durationMs; elapsed += turn) {
    for (const [name, { once, accept, server }] of Object.entries(contenders)) {
      await runClients(concurrency, turn, once, accept, server, totals[name as keyof typeof totals]);
    }
  }
  setup.llm.calls.clear();
  return { concurrency, floor: summary(totals.floor), json: summary(totals.json), sse: summary(totals.sse) };
}

/**
 * Rounds at concurrency 32, JSON and SSE alternately, for `durationMs`, counted nowhere: a bridge that has
 * answered a few thousand rounds, as a service has after its first minutes, has had its round's code
 * optimised by V8. Latency measured before that is a cold start's, not the service's. The bare bridge is
 * run in the same way, with JSON rounds (it answers no others).
 */
export async function warmUp(setup: RelaySetup, profile: LlmProfile, durationMs: number): Promise<void> {
  const previous = setup.llm.profile;
  setup.llm.profile = profile;
  let streamed = false;
  await runIn(setup.bridge, durationMs, () => (streamed = !streamed));
  await runIn(setup.bare, durationMs, () => false);
  closeIdleConnections();
  setup.llm.calls.clear();
  setup.llm.profile = previous;
}

async function runIn(server: ChildServer, durationMs: number, streamed: () => boolean) {
  const url = new URL(`${server.url}/sobot/agent`);
  const once = () => post(url, sobotBody(nextTag(), streamed()));
  const totals = { completed: 0, failed: 0, seconds: 0, cpuMs: 0 };
  await runClients(32, durationMs, once, (exchange) => exchange.status === 200, server, totals);
  if (totals.failed > 0) throw new Error(`${totals.failed} of the run-in's rounds failed (${server.url})`);
}
