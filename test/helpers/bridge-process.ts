import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The service as `npm start` runs it: its own process, its own environment, real signals. */
export interface BridgeProcess {
  process: ChildProcessWithoutNullStreams;
  /** Resolves with the URL it listens on, once it logged "listening". */
  url: Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  /** What it printed so far: JSON log lines on stdout. */
  stdout(): string;
}

const root = new URL('../..', import.meta.url).pathname;

/**
 * A bridge of its own in `directory`: its database there, an empty knowledge directory and config file
 * (made there), the model at `llmBaseUrl`; the same for one process or several sharing the database.
 */
export function isolatedBridgeEnv(directory: string, llmBaseUrl: string) {
  mkdirSync(join(directory, 'knowledge'), { recursive: true });
  writeFileSync(join(directory, 'bridge.yaml'), '');
  return {
    DATABASE_PATH: join(directory, 'bridge.db'),
    KNOWLEDGE_DIR: join(directory, 'knowledge'),
    KNOWLEDGE_WATCH: 'false',
    BRIDGE_CONFIG: join(directory, 'bridge.yaml'),
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: llmBaseUrl,
  };
}

export function startBridgeProcess(env: Record<string, string>): BridgeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/node.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
  });
  let stdout = '';
  let stderr = '';
  let resolveUrl!: (url: string) => void;
  let rejectUrl!: (error: Error) => void;
  const url = new Promise<string>((resolve, reject) => {
    resolveUrl = resolve;
    rejectUrl = reject;
  });
  child.stdout.on('data', (data: Buffer) => {
    stdout += data.toString();
    const match = stdout.match(/"url":"(http:\/\/[^"]+)"/);
    if (match?.[1]) resolveUrl(match[1]);
  });
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    // 'close', not 'exit': only then has everything the process wrote to its stdout and stderr been read.
    (resolve) =>
      child.on('close', (code, signal) => {
        rejectUrl(new Error(`the bridge exited (${code ?? signal}) before listening:\n${stderr.slice(-2000)}`));
        resolve({ code, signal, stdout, stderr });
      }),
  );
  // Callers that never ask for the URL must not see its rejection as unhandled.
  url.catch(() => {});
  return { process: child, url, exit, stdout: () => stdout };
}

/** The JSON log lines a bridge process printed, parsed. */
export function logLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
