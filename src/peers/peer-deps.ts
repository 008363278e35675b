import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import type { PeerSessionStore } from './peer-session-store.js';
import type { ConnectWebSocket } from './websocket.js';

export interface PeerDeps {
  sessions: PeerSessionStore;
  fetch: typeof fetch;
  connectWebSocket: ConnectWebSocket;
  clock: Clock;
  logger: Logger;
}
