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
