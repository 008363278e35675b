import WebSocket from 'ws';
import { endOnce, type ConnectWebSocket } from './websocket.js';

/** Node 20 has no global WebSocket client; `ws` is the well-kept one. */
export const connectNodeWebSocket: ConnectWebSocket = (url) => {
  const socket = new WebSocket(url);
  const { end, onEnd } = endOnce();
  socket.on('error', (error) => end(`WebSocket error: ${error.message}`));
  socket.on('close', (code) => end(`WebSocket closed (${code})`));
  return {
    send: (data) => socket.send(data),
    close: () => socket.close(),
    onOpen: (listener) => socket.on('open', listener),
    onMessage: (listener) => socket.on('message', (data) => listener(data.toString())),
    onEnd,
  };
};
