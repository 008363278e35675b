import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** One request as the client saw it, on this process's `performance.now()` clock. */
export interface Exchange {
  status: number;
  startedAt: number;
  /** When each complete server-sent event (a frame ending in a blank line) arrived. */
  frameArrivals: number[];
  endedAt: number;
  body: string;
}

// Keep-alive, as Sobot and any production client would: connection set-up is not what is measured.
let agent = new Agent({ keepAlive: true, maxSockets: Infinity });

/**
 * Drops idle connections. Between phases: a connection idle past the server's keep-alive timeout may be
 * closing just as the next request is sent on it, which would count as a failure of the server.
 */
export function closeIdleConnections(): void {
  agent.destroy();
  agent = new Agent({ keepAlive: true, maxSockets: Infinity });
}

/** Fails the benchmark on a reply other than 200, quoting the start of its body. */
export function expectOk(exchange: Exchange, what: string): void {
  if (exchange.status !== 200) throw new Error(`${what}: HTTP ${exchange.status} ${exchange.body.slice(0, 300)}`);
}

/** `onEvent` hears of each complete event as it arrives, with its index in the stream. */
export function post(url: URL, body: string, onEvent?: (index: number) => void): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const frameArrivals: number[] = [];
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        let received = '';
        // Where the next frame starts; a frame's blank line may straddle two chunks.
        let from = 0;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          const at = performance.now();
          received += chunk;
          for (let end = received.indexOf('\n\n', from); end >= 0; end = received.indexOf('\n\n', from)) {
            const index = frameArrivals.push(at) - 1;
            onEvent?.(index);
            from = end + 2;
          }
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            startedAt,
            frameArrivals,
            endedAt: performance.now(),
            body: received,
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
