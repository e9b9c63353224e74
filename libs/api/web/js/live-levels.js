// Live stock levels for a page: over the WebSocket /inventory/socket (one connection whose SKUs the
// page can change), and over Server-Sent Events (/inventory/stream) when a socket cannot be opened:
// a proxy that does not pass upgrades, or a refusal, whose reason a browser never shows a page for a
// socket (an SSE answer says 401 or 429). ADR 0028.
import { followEvents } from './http.js';

/** The token as a subprotocol: browsers cannot set Authorization on a WebSocket, and a URL would land in logs. */
const bearerProtocol = (token) =>
  `stockade.bearer.${btoa(String.fromCharCode(...new TextEncoder().encode(token)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replaceAll('=', '')}`;

/**
 * Follows `skus` until `close()`: each level to `onLevel(level)`, `onState(state, transport)` as the
 * connection comes and goes (state 'live' | 'reconnecting' | 'refused', transport 'websocket' | 'sse').
 */
export function followLevels(skus, { token, onLevel, onState = () => {} }) {
  let stopped = false;
  let current;
  let delayMs = 500;

  const overEvents = () => {
    current = followEvents(`/inventory/stream?skus=${encodeURIComponent(skus.join(','))}`, {
      token,
      onEvent: ({ event, data }) => event === 'level' && onLevel(JSON.parse(data)),
      onState: (state) => onState(state, 'sse'),
    });
  };

  const overSocket = () => {
    if (stopped) return;
    let socket;
    try {
      socket = new WebSocket(new URL('/inventory/socket', location.href.replace(/^http/, 'ws')), [
        'stockade.live.v1',
        ...(token ? [bearerProtocol(token)] : []),
      ]);
    } catch {
      return overEvents();
    }
    let opened = false;
    current = { close: () => socket.close(1000) };
    socket.onopen = () => {
      opened = true;
      delayMs = 500;
      socket.send(JSON.stringify({ type: 'subscribe', skus }));
    };
    socket.onmessage = (message) => {
      const frame = JSON.parse(message.data);
      if (frame.type === 'subscribed') onState('live', 'websocket');
      else if (frame.type === 'level') onLevel(frame.level);
    };
    socket.onclose = () => {
      if (stopped) return;
      // Never opened: this network or this deployment will not take a socket from us; SSE says why, or works.
      if (!opened) return overEvents();
      onState('reconnecting', 'websocket');
      setTimeout(overSocket, delayMs);
      delayMs = Math.min(delayMs * 2, 10_000);
    };
  };

  if (typeof WebSocket === 'function') overSocket();
  else overEvents();
  return {
    close: () => {
      stopped = true;
      current?.close();
    },
  };
}
