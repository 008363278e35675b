import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

/**
 * The Worker build running in workerd through `wrangler dev`, with a local D1 migrated by the shipped
 * migrations (`wrangler d1 migrations apply`): the same path a deployment takes, on loopback.
 */
export interface WorkerBridge {
  url: string;
  /** Runs the cron trigger (the outbox sweep) once. */
  runScheduled(): Promise<void>;
  /** What wrangler and the Worker printed, for failures. */
  output(): string;
  stop(): Promise<void>;
}

const root = new URL('../..', import.meta.url).pathname;
const wrangler = join(root, 'node_modules/.bin/wrangler');
// No prompts, no telemetry, no update checks: tests run unattended and offline.
const quietEnv = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1' };

export interface WorkerOptions {
  /** SQL files run against the local D1 after its migrations. */
  sqlFiles?: string[];
  /** Whether GET /healthz's answer means the Worker is up; by default a 200. */
  ready?: (health: Response) => boolean;
}

export async function startWorker(
  vars: Record<string, string>,
  { sqlFiles = [], ready = (health) => health.ok }: WorkerOptions = {},
): Promise<WorkerBridge> {
  const directory = mkdtempSync(join(tmpdir(), 'bridge-worker-'));
  const persist = join(directory, 'state');
  await promisify(execFile)(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist], {
    cwd: root,
    env: quietEnv,
  });
  for (const file of sqlFiles) {
    await promisify(execFile)(wrangler, ['d1', 'execute', 'DB', '--local', '--persist-to', persist, '--file', file], {
      cwd: root,
      env: quietEnv,
    });
  }
  // Values with colons (URLs) do not survive --var KEY:VALUE; an env file carries them as they are.
  const envFile = join(directory, 'worker.env');
  writeFileSync(
    envFile,
    Object.entries(vars)
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
      .join('\n'),
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    wrangler,
    [
      'dev',
      '--local',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--persist-to',
      persist,
      '--env-file',
      envFile,
      '--test-scheduled',
      '--show-interactive-dev-session=false',
    ],
    { cwd: root, env: quietEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if (ready(await fetch(`${url}/healthz`))) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`wrangler dev did not start:\n${output.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    output: () => output,
    async runScheduled() {
      const response = await fetch(`${url}/__scheduled?cron=*+*+*+*+*`);
      if (!response.ok) throw new Error(`scheduled run failed: HTTP ${response.status}`);
    },
    async stop() {
      // wrangler runs workerd as a child: end the whole process group.
      if (child.pid !== undefined && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid, 'SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
