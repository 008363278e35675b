import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Checkpoints a WAL database (copies the log's pages into the database file, with an fsync) from a worker
 * thread of its own. SQLite's automatic checkpoint runs inside whichever write fills the log, on the
 * event loop: every hundred rounds or so one write took 4–5 ms, and every open stream waited for it
 * (README, Performance). A PASSIVE checkpoint waits for no reader or writer, and none waits for it.
 */
export interface WalCheckpointer {
  /** Ends the thread; a checkpoint cut short is safe (the next one resumes it). */
  stop(): void;
}

export interface WalCheckpointerEvents {
  /** A checkpoint failed; the thread goes on trying. */
  failed(message: string): void;
  /** The thread is gone (it could not start, or crashed): the caller must checkpoint some other way. */
  lost(message: string): void;
}

// Plain CommonJS, evaluated in the worker, so that it runs as it is under tsx, vitest and the esbuild bundle.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage(String((error && error.message) || error));
  }
}, workerData.intervalMs);
`;

export function startWalCheckpointer(path: string, intervalMs: number, events: WalCheckpointerEvents): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, intervalMs, driver } });
  // It must not keep alive a process that has nothing else left to do (a CLI command, a test).
  worker.unref();
  let stopping = false;
  worker.on('message', (message: string) => events.failed(message));
  worker.on('error', (error) => events.lost(error.message));
  worker.on('exit', (code) => {
    if (!stopping) events.lost(`the checkpoint thread exited (code ${code})`);
  });
  return {
    stop() {
      stopping = true;
      void worker.terminate();
    },
  };
}
