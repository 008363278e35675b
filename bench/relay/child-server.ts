import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** A server running as its own process, so it has its own event loop and its own resident memory. */
export interface ChildServer {
  url: string;
  pid: number;
  /** Resident set size now, in bytes (Linux: /proc/<pid>/status). */
  rss(): number;
  /** CPU time used so far (user + system), in milliseconds (Linux: /proc/<pid>/stat). */
  cpuMs(): number;
  /** What it wrote to stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

const root = new URL('../..', import.meta.url).pathname;
const gcPauseLog = new URL('./gc-pause-log.mjs', import.meta.url).pathname;
// USER_HZ: Linux reports process CPU times in these ticks (100 on every mainstream architecture).
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Starts `node --import tsx <script>` (or `node <script>` for JavaScript, such as a build's output) from the
 * repository root and waits until `port` accepts.
 */
export async function startChildServer(options: {
  script: string;
  port: number;
  env: Record<string, string>;
  logFile: string;
  nodeOptions?: string[];
  /** Where the process appends its garbage-collection pauses (`gc-pause-log.mjs`); none if unset. */
  gcLog?: string;
}): Promise<ChildServer> {
  const log = openSync(options.logFile, 'w');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(options.nodeOptions ?? []),
      ...(options.gcLog ? ['--import', gcPauseLog] : []),
      ...(options.script.endsWith('.ts') ? ['--import', 'tsx'] : []),
      options.script,
    ],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...options.env, ...(options.gcLog ? { BENCH_GC_LOG: options.gcLog } : {}) },
      stdio: ['ignore', log, log],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Should the benchmark itself die, its servers go with it instead of lingering on their ports.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const deadline = Date.now() + 30_000;
  while (!(await accepts(options.port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`${options.script} did not start:\n${readFileSync(options.logFile, 'utf8').slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `http://127.0.0.1:${options.port}`,
    pid: child.pid!,
    rss: () => {
      const kilobytes = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
      return Number(kilobytes) * 1024;
    },
    cpuMs: () => {
      // Fields after the command name (which may hold spaces) start at the state, field 3; utime and stime are 14 and 15.
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
    },
    output: () => readFileSync(options.logFile, 'utf8'),
    async stop() {
      process.off('exit', orphanGuard);
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
