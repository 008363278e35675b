import { createServer } from 'node:http';
import { listenOnLoopback, type LoopbackListener } from './listen-on-loopback.js';

/** A host that answers every request with a 307 to the same path on `target`: a redirect that must not be followed. */
export async function startRedirectServer(target: string): Promise<LoopbackListener> {
  const server = createServer((request, response) =>
    response.writeHead(307, { location: `${target}${request.url ?? '/'}` }).end(),
  );
  return listenOnLoopback(server);
}
