import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackListener {
  baseUrl: string;
  /** Drops open connections and stops listening; `reopen` can listen again. */
  close(): Promise<void>;
  /** Listens again on the same port (a server that went away and came back). */
  reopen(): Promise<void>;
}

/** Starts `server` on a free loopback port; `close` drops open connections and stops it. */
export async function listenOnLoopback(server: Server): Promise<LoopbackListener> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: async () => {
      if (!server.listening) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    reopen: () => new Promise<void>((resolve) => server.listen(address.port, '127.0.0.1', resolve)),
  };
}
