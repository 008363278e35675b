import WebSocket from 'ws';
import type { ConnectWebSocket } from './websocket.js';

/** Node 20 has no global WebSocket client; `ws` is the well-kept one. */
export const connectNodeWebSocket: ConnectWebSocket = (url) => {
  const socket = new WebSocket(url);
  let ended = false;
  const endListeners: Array<(reason: string) => void> = [];
  const end = (reason: string) => {
    if (ended) return;
    ended = true;
    for (const listener of endListeners) listener(reason);
  };
  socket.on('error', (error) => end(`WebSocket error: ${error.message}`));
  socket.on('close', (code) => end(`WebSocket closed (${code})`));
  return {
    send: (data) => socket.send(data),
    close: () => socket.close(),
    onOpen: (listener) => socket.on('open', listener),
    onMessage: (listener) => socket.on('message', (data) => listener(data.toString())),
    onEnd: (listener) => endListeners.push(listener),
  };
};
