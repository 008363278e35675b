import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from '../bench/relay/child-server.js';
import { startBenchLlm, type BenchLlm } from '../bench/relay/fake-llm.js';
import { post } from '../bench/relay/http-client.js';
import { sobotBody } from '../bench/relay/relay-setup.js';
import { freePort } from './helpers/free-port.js';

// The relay benchmark's bare bridge: the figure beside the bridge's only means something if it does the
// round's essential work (claim, model call, reply in Sobot's envelope, stored answer).
describe('benchmark: the bare bridge', () => {
  let llm: BenchLlm;
  let bare: ChildServer | undefined;
  const directory = mkdtempSync(join(tmpdir(), 'bare-bridge-test-'));
  afterEach(async () => {
    await bare?.stop();
    await llm.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it("answers a JSON round with the model's text, asks the model with the given request, and stores the round", async () => {
    llm = await startBenchLlm({ firstTokenDelayMs: 0, chunks: 3, intervalMs: 0 });
    const port = await freePort();
    const modelRequest = {
      model: 'bench-model',
      stream: true,
      tools: [{ type: 'function', function: { name: 'offer_choices', parameters: { type: 'object' } } }],
      messages: [
        { role: 'system', content: 'You are the assistant.' },
        { role: 'user', content: 'the question the request was captured with' },
      ],
    };
    bare = await startChildServer({
      script: 'bench/bare-bridge.mjs',
      port,
      logFile: join(directory, 'bare.log'),
      env: {
        PORT: String(port),
        UPSTREAM_URL: llm.baseUrl,
        DATABASE_PATH: join(directory, 'bare.db'),
        MODEL_REQUEST: JSON.stringify(modelRequest),
      },
    });

    const exchange = await post(new URL(`${bare.url}/sobot/agent`), sobotBody('bench-7', false));

    expect(exchange.status).toBe(200);
    const reply = JSON.parse(exchange.body);
    expect(reply).toMatchObject({ ret_code: '000000', data: [{ roundid: 'bench-7', companyid: 'company-1' }] });
    expect(reply.data[0].llm_answer).toBe('word0 word1 word2 ');
    const asked = JSON.parse(llm.lastBody);
    expect(asked.tools).toEqual(modelRequest.tools);
    expect(asked.messages).toEqual([
      modelRequest.messages[0],
      { role: 'user', content: 'bench-7: how long does shipping to Lyon take?' },
    ]);
    const database = new Database(join(directory, 'bare.db'), { readonly: true });
    const row = database.prepare('select cid, status, answer_text from rounds where roundid = ?').get('bench-7');
    database.close();
    expect(row).toEqual({ cid: 'cid-bench-7', status: 'succeeded', answer_text: 'word0 word1 word2 ' });
    // A repeat is not answered twice, and the process lives on to answer the next round.
    expect((await post(new URL(`${bare.url}/sobot/agent`), sobotBody('bench-7', false))).status).toBe(409);
    expect((await post(new URL(`${bare.url}/sobot/agent`), sobotBody('bench-8', false))).status).toBe(200);
  });
});
