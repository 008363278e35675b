import { createServer } from 'node:http';
import { listenOnLoopback, type LoopbackListener } from './listen-on-loopback.js';

export interface SilentServer extends LoopbackListener {
  /** Each request taken, and whether its connection has closed since (the caller gave up on it). */
  calls: Array<{ closed: boolean }>;
}

/** An API that takes every request and never answers: a stalled dependency, to see who calls it off and when. */
export async function startSilentServer(): Promise<SilentServer> {
  const calls: SilentServer['calls'] = [];
  const server = createServer((request) => {
    const call = { closed: false };
    calls.push(call);
    request.socket.on('close', () => (call.closed = true));
  });
  return { calls, ...(await listenOnLoopback(server)) };
}
