import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/helpers/free-port.js';
import { startChildServer, type ChildServer } from './child-server.js';
import { startBenchLlm, takeCall, type BenchLlm, type LlmProfile } from './fake-llm.js';
import { expectOk, post } from './http-client.js';

/** The fake model in this process; the bridge, the floor relay and the bare bridge each in a process of their own. */
export interface RelaySetup {
  llm: BenchLlm;
  bridge: ChildServer;
  floor: ChildServer;
  /** `bench/bare-bridge.mjs`: a JSON round's essential work by hand, asking the model what the bridge asks. */
  bare: ChildServer;
  /** Where the bridge and the floor relay log their garbage-collection pauses (`gc-pause-log.mjs`). */
  gcLogs: { bridge: string; floor: string };
  /** Set BENCH_CPU_PROF=<dir> to have the bridge write a V8 CPU profile there when it stops. */
  cpuProfileDir?: string | undefined;
  stop(): Promise<void>;
}

const root = new URL('../..', import.meta.url).pathname;
let built = false;

/**
 * `npm run start:prod`'s command (`exec node [flags] <bundle>`), read from package.json so the benchmark runs
 * the bridge exactly as deployed, V8 flags included.
 */
function productionStart(): { flags: string[]; script: string } {
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
  // `exec` only makes the shell npm runs hand its place (and its signals) to node.
  const [command, ...args] = scripts['start:prod']!.replace(/^exec\s+/, '').split(/\s+/);
  if (command !== 'node' || args.length === 0) {
    throw new Error('start:prod is expected to be `[exec] node [flags] <file>`');
  }
  return { flags: args.slice(0, -1), script: args.at(-1)! };
}

/** The bridge runs as deployed: built once per benchmark (`npm run build`), then `npm run start:prod`. */
function buildBridge() {
  if (built) return;
  execFileSync(process.execPath, ['scripts/build-node.mjs'], { cwd: root });
  built = true;
}

export async function startRelaySetup(profile: LlmProfile): Promise<RelaySetup> {
  buildBridge();
  const directory = mkdtempSync(join(tmpdir(), 'bridge-bench-relay-'));
  const [emptyKnowledge, emptyConfig] = [join(directory, 'knowledge'), join(directory, 'bridge.yaml')];
  mkdirSync(emptyKnowledge);
  writeFileSync(emptyConfig, '');
  const llm = await startBenchLlm(profile);
  const cpuProfileDir = process.env.BENCH_CPU_PROF;
  const [bridgePort, floorPort, barePort] = [await freePort(), await freePort(), await freePort()];
  const start = productionStart();
  const gcLogs = { bridge: join(directory, 'bridge-gc.log'), floor: join(directory, 'floor-gc.log') };
  const bridge = await startChildServer({
    script: start.script,
    port: bridgePort,
    logFile: join(directory, 'bridge.log'),
    gcLog: gcLogs.bridge,
    nodeOptions: [...start.flags, ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [])],
    env: {
      HOST: '127.0.0.1',
      PORT: String(bridgePort),
      DATABASE_PATH: join(directory, 'bridge.db'),
      // An empty knowledge base and config file: every question goes to the model (with its tools offered).
      KNOWLEDGE_DIR: emptyKnowledge,
      KNOWLEDGE_WATCH: 'false',
      BRIDGE_CONFIG: emptyConfig,
      OPENAI_API_KEY: 'sk-bench',
      OPENAI_BASE_URL: llm.baseUrl,
      OPENAI_MAX_RETRIES: '0',
      // 500 streams at once must all reach the model, not queue behind the default 16.
      LLM_MAX_CONCURRENCY: '1000',
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: '2000',
    },
  });
  const floor = await startChildServer({
    script: 'bench/floor-relay.ts',
    port: floorPort,
    logFile: join(directory, 'floor.log'),
    gcLog: gcLogs.floor,
    env: { PORT: String(floorPort), UPSTREAM_URL: llm.baseUrl },
  });
  const bare = await startChildServer({
    script: 'bench/bare-bridge.mjs',
    port: barePort,
    logFile: join(directory, 'bare.log'),
    nodeOptions: start.flags,
    env: {
      PORT: String(barePort),
      UPSTREAM_URL: llm.baseUrl,
      DATABASE_PATH: join(directory, 'bare.db'),
      MODEL_REQUEST: await modelRequestOf(bridge, llm),
    },
  });
  return {
    llm,
    bridge,
    floor,
    bare,
    gcLogs,
    cpuProfileDir,
    async stop() {
      await Promise.all([bridge.stop(), floor.stop(), bare.stop()]);
      await llm.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** What the bridge asks the model for a benchmark round: its system prompt, its tools, its options. */
async function modelRequestOf(bridge: ChildServer, llm: BenchLlm): Promise<string> {
  const tag = nextTag();
  const exchange = await post(new URL(`${bridge.url}/sobot/agent`), sobotBody(tag, false));
  expectOk(exchange, 'the round that shows what the bridge asks the model');
  takeCall(llm, tag);
  return llm.lastBody;
}

let counter = 0;
/** A fresh tag; the fake model finds it in the call and files its timings under it. */
export const nextTag = () => `bench-${++counter}`;

/** What a client calling the model directly sends (streamed, as the bridge calls it). */
export function chatBody(tag: string): string {
  return JSON.stringify({
    model: 'bench',
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: `${tag}: how long does shipping to Lyon take?` }],
  });
}

/** A Sobot round, each in a conversation of its own. */
export function sobotBody(tag: string, stream: boolean): string {
  return JSON.stringify({
    roundid: tag,
    ai_agent_cid: `cid-${tag}`,
    question: `${tag}: how long does shipping to Lyon take?`,
    input_type_enum: 'INPUT',
    msg_type: 'TEXT',
    robotid: 'robot-1',
    companyid: 'company-1',
    robot_model: 'THIRD_STANDARD',
    req_stream: stream,
  });
}
