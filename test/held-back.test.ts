import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startBenchLlm, type BenchLlm } from '../bench/relay/fake-llm.js';
import { measureHeldBack } from '../bench/relay/held-back.js';
import { chatBody, sobotBody } from '../bench/relay/relay-setup.js';
import { startBridge, type Bridge } from './helpers/bridge.js';

const profile = (giveUpMs: number) => ({ firstTokenDelayMs: 0, chunks: 5, intervalMs: 0, lockStep: { giveUpMs } });

/**
 * A relay in front of the fake model at `upstream`. `holdBack` keeps each piece of the answer until the
 * next one arrives (a buffer that waits for more, as a parser looking for the next event's boundary might).
 */
async function startRelay(upstream: string, holdBack: boolean): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    const forwarded = request(`${upstream}/chat/completions`, { method: 'POST' }, (answer) => {
      outgoing.writeHead(200, { 'content-type': 'text/event-stream' });
      if (!holdBack) return answer.pipe(outgoing);
      let kept: Buffer | undefined;
      answer.on('data', (piece: Buffer) => {
        if (kept) outgoing.write(kept);
        kept = piece;
      });
      answer.on('end', () => outgoing.end(kept));
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat/completions`;

// The relay benchmark's held-back figure: the fake model in lock-step with the client.
describe('benchmark: held-back chunks', () => {
  let llm: BenchLlm;
  const servers: Server[] = [];
  let bridge: Bridge | undefined;
  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
    await bridge?.stop();
    bridge?.cleanup();
    bridge = undefined;
    await llm.close();
  });

  it('catches a relay that keeps each piece until the next arrives, and clears one that passes bytes on', async () => {
    llm = await startBenchLlm(profile(50));
    const buffering = await startRelay(llm.baseUrl, true);
    const passing = await startRelay(llm.baseUrl, false);
    servers.push(buffering, passing);

    const results = await measureHeldBack(
      llm,
      [
        { name: 'buffering', url: urlOf(buffering), body: chatBody },
        { name: 'passing', url: urlOf(passing), body: chatBody },
      ],
      profile(50),
      2,
    );

    expect(results.buffering).toMatchObject({ streams: 2, chunks: 10, held: 10, firstHeld: 2 });
    expect(results.passing).toMatchObject({ streams: 2, chunks: 10, held: 0, firstHeld: 0 });
  });

  it('finds no chunk of the bridge’s stream held back', async () => {
    llm = await startBenchLlm(profile(1500));
    bridge = await startBridge({ env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.baseUrl } });

    const results = await measureHeldBack(
      llm,
      [{ name: 'bridge', url: `${bridge.url}/sobot/agent`, body: (tag) => sobotBody(tag, true) }],
      profile(1500),
      3,
    );

    expect(results.bridge).toMatchObject({ streams: 3, chunks: 15, held: 0, firstHeld: 0 });
  }, 60_000);
});
