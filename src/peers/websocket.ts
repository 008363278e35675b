/** The few WebSocket operations peers need, so Node (`ws`) and Workers can each supply their own. */
export interface PeerWebSocket {
  send(data: string): void;
  close(): void;
  onOpen(listener: () => void): void;
  onMessage(listener: (data: string) => void): void;
  /** Called once, for an error or a close, whichever comes first. */
  onEnd(listener: (reason: string) => void): void;
}

export type ConnectWebSocket = (url: string) => PeerWebSocket;

/** Error and close both end a socket; listeners hear about the first only. */
export function endOnce() {
  let ended = false;
  const listeners: Array<(reason: string) => void> = [];
  return {
    end(reason: string) {
      if (ended) return;
      ended = true;
      for (const listener of listeners) listener(reason);
    },
    onEnd(listener: (reason: string) => void) {
      listeners.push(listener);
    },
  };
}
