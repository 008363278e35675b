/**
 * The floor any relay must pay: a minimal node:http relay that pipes each request to the model API and
 * its response back, byte for byte, over a keep-alive connection pool. No parsing, no storage, no
 * logging. `UPSTREAM_URL` is the API base (…/v1); it prints `{"url": …}` once listening.
 */
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

const upstream = new URL(`${process.env.UPSTREAM_URL ?? 'http://127.0.0.1:8080/v1'}/chat/completions`);
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

const server = createServer((incoming, outgoing) => {
  const forwarded = httpRequest(
    upstream,
    { method: 'POST', agent, headers: { 'content-type': incoming.headers['content-type'] ?? 'application/json' } },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? '' });
      answer.pipe(outgoing);
    },
  );
  forwarded.on('error', () => outgoing.destroy());
  incoming.pipe(forwarded);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
process.on('SIGTERM', () => process.exit(0));
