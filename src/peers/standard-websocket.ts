import { endOnce, type ConnectWebSocket } from './websocket.js';

/** The standard WebSocket client (Workers' outbound WebSocket, and Node 22+'s global). */
export const connectStandardWebSocket: ConnectWebSocket = (url) => {
  const socket = new WebSocket(url);
  const { end, onEnd } = endOnce();
  socket.addEventListener('error', () => end('WebSocket error'));
  socket.addEventListener('close', (event) => end(`WebSocket closed (${event.code})`));
  return {
    send: (data) => socket.send(data),
    close: () => socket.close(),
    onOpen: (listener) => socket.addEventListener('open', () => listener()),
    onMessage: (listener) => socket.addEventListener('message', (event) => listener(String(event.data))),
    onEnd,
  };
};
