import BetterSqlite from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { parseConfig } from '../../src/config.js';
import { createNodeRuntime, type NodeRuntime } from '../../src/node-runtime.js';
import type { Clock } from '../../src/runtime/clock.js';
import type { Logger } from '../../src/runtime/logger.js';
import {
  envelopeSchema,
  thirdAlgorithmResponseItemSchema,
  type Envelope,
  type ThirdAlgorithmResponseItem,
} from '../../src/sobot/schemas/response.js';

export interface Bridge {
  url: string;
  runtime: NodeRuntime;
  databasePath: string;
  /** POSTs a body (object → JSON, string as is) to the webhook. */
  post(
    body: unknown,
    init?: { query?: string; headers?: Record<string, string>; signal?: AbortSignal },
  ): Promise<Response>;
  /** A non-streaming round: the parsed, schema-checked envelope. */
  ask(body: Record<string, unknown>, query?: string): Promise<{ status: number; envelope: Envelope }>;
  /** A streaming round: its SSE items, schema-checked, in order. */
  askStream(
    body: Record<string, unknown>,
    query?: string,
  ): Promise<{ status: number; contentType: string | null; items: ThirdAlgorithmResponseItem[] }>;
  /** Stops the server and closes the database (the files stay until `cleanup`). */
  stop(): Promise<void>;
  cleanup(): void;
}

export interface BridgeOptions {
  env?: Record<string, string>;
  clock?: Clock;
  /** Reuse a database file, e.g. to restart on the same data. */
  databasePath?: string;
  /** Where the bridge logs; nowhere by default. */
  logger?: Logger;
  /** Receives the service's log lines (set LOG_LEVEL in `env`; tests default to silent). */
  logWrite?: (line: string) => void;
  /** How often KNOWLEDGE_DIR's name is checked for a directory swapped in. */
  knowledgeRecheckMs?: number;
  /** Rows per table per retention batch. */
  pruneBatchSize?: number;
}

let empty: { knowledge: string; config: string } | undefined;

/** An empty knowledge directory and an empty config file, shared by the bridges that bring none of their own. */
function nothing() {
  if (!empty) {
    const directory = mkdtempSync(join(tmpdir(), 'bridge-test-nothing-'));
    empty = { knowledge: join(directory, 'knowledge'), config: join(directory, 'bridge.yaml') };
    mkdirSync(empty.knowledge);
    writeFileSync(empty.config, '');
  }
  return empty;
}

/** The real Node wiring (same migrations, same store) served on a loopback port. */
export async function startBridge(options: BridgeOptions = {}): Promise<Bridge> {
  const directory = options.databasePath ? undefined : mkdtempSync(join(tmpdir(), 'bridge-test-'));
  const databasePath = options.databasePath ?? join(directory!, 'bridge.db');
  const config = parseConfig({
    DATABASE_PATH: databasePath,
    LOG_LEVEL: 'silent',
    // No knowledge base and no config file unless a test brings one: the samples would answer its questions.
    KNOWLEDGE_DIR: nothing().knowledge,
    BRIDGE_CONFIG: nothing().config,
    ...options.env,
  });
  const runtime = await createNodeRuntime(config, {
    clock: options.clock,
    logger: options.logger,
    env: { ...options.env },
    logWrite: options.logWrite,
    knowledgeRecheckMs: options.knowledgeRecheckMs,
    pruneBatchSize: options.pruneBatchSize,
  });
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: runtime.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const post: Bridge['post'] = (body, init = {}) =>
    fetch(`${url}/sobot/agent${init.query ?? ''}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...init.headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      signal: init.signal,
    });

  return {
    url,
    runtime,
    databasePath,
    post,
    async ask(body, query) {
      const response = await post({ ...body, req_stream: false }, { query });
      const envelope = envelopeSchema.parse(await response.json());
      return { status: response.status, envelope };
    },
    async askStream(body, query) {
      const response = await post({ ...body, req_stream: true }, { query });
      const text = await response.text();
      return { status: response.status, contentType: response.headers.get('content-type'), items: parseSse(text) };
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as import('node:http').Server).closeAllConnections?.();
      });
      await runtime.drain(1000);
      await runtime.close();
    },
    cleanup() {
      if (directory) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Splits an SSE body into its `data:` payloads, each a ThirdAlgorithmRespVo. */
export function parseSse(text: string): ThirdAlgorithmResponseItem[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      return thirdAlgorithmResponseItemSchema.parse(JSON.parse(data));
    });
}

let counter = 0;
/** A minimal valid round; fields can be overridden. Each call gets fresh ids. */
export function round(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    question: 'How long does shipping take?',
    input_type_enum: 'INPUT',
    msg_type: 'TEXT',
    robotid: 'robot-1',
    companyid: 'company-1',
    ai_agent_cid: `cid-${process.pid}-${counter}`,
    roundid: `round-${counter}`,
    robot_model: 'THIRD_STANDARD',
    req_stream: false,
    copilot: false,
    ...overrides,
  };
}

/** A clock tests can move forward; sleeps really wait (briefly) so polling loops still run. */
export function manualClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void } {
  let offset = 0;
  const base = Date.now();
  return {
    now: () => start + (Date.now() - base) + offset,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    advance: (ms) => {
      offset += ms;
    },
  };
}

/** The stored row of a round, read straight from the bridge's database file. */
export function storedRound(bridge: Bridge, roundid: unknown): Record<string, unknown> | undefined {
  const sqlite = new BetterSqlite(bridge.databasePath, { readonly: true, fileMustExist: true });
  try {
    return sqlite.prepare('select * from rounds where roundid = ?').get(roundid) as Record<string, unknown> | undefined;
  } finally {
    sqlite.close();
  }
}
