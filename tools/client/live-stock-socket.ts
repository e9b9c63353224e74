import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';

/** A frame the live stock socket sent (see libs/api/src/live-stock-socket-protocol.ts). */
export type ServerFrame = { readonly type: string } & Record<string, unknown>;

export interface OpenLiveStockSocket {
  readonly socket: WebSocket;
  /** Every frame received so far, in order. */
  readonly frames: ServerFrame[];
  /** The first frame (received or to come) that matches, or a timeout. */
  frame(matches: (frame: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame>;
  send(frame: unknown): void;
  /** Resolves with the close code and reason once the connection closes. */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export type LiveStockSocketAttempt =
  | { readonly open: OpenLiveStockSocket }
  | { readonly refused: { readonly status: number; readonly body: Record<string, unknown> } };

/**
 * Opens `ws://…/inventory/socket` of a Stockade at `baseUrl`: as a service would (the token in the
 * Authorization header), or as a browser does (`subprotocol: true`: the token as the
 * `stockade.bearer.<base64url>` subprotocol, `origin` sent). A refused handshake resolves with its
 * HTTP status and JSON body.
 */
export function openLiveStockSocket(
  baseUrl: string,
  options: { token?: string; origin?: string; subprotocol?: boolean } = {},
): Promise<LiveStockSocketAttempt> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/inventory/socket`;
  const protocols = [
    'stockade.live.v1',
    ...(options.subprotocol && options.token
      ? [`stockade.bearer.${Buffer.from(options.token).toString('base64url')}`]
      : []),
  ];
  const headers = !options.subprotocol && options.token ? { authorization: `Bearer ${options.token}` } : {};
  const socket = new WebSocket(url, protocols, { headers, ...(options.origin ? { origin: options.origin } : {}) });
  const frames: ServerFrame[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as ServerFrame);
    for (const wake of [...waiters]) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_request, response: IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolve({
          refused: {
            status: response.statusCode ?? 0,
            body: body ? (JSON.parse(body) as Record<string, unknown>) : {},
          },
        });
        socket.terminate();
      });
    });
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        open: {
          socket,
          frames,
          closed,
          send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
          close: () => socket.close(),
          frame: (matches, timeoutMs = 10_000) =>
            new Promise((found, timedOut) => {
              const look = () => {
                const hit = frames.find(matches);
                if (!hit) return false;
                waiters.delete(check);
                clearTimeout(timer);
                found(hit);
                return true;
              };
              const check = () => void look();
              const timer = setTimeout(() => {
                waiters.delete(check);
                timedOut(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`));
              }, timeoutMs);
              if (!look()) waiters.add(check);
            }),
        },
      }),
    );
  });
}

/** The open socket of an attempt, or an error saying how it was refused. */
export function opened(attempt: LiveStockSocketAttempt): OpenLiveStockSocket {
  if ('open' in attempt) return attempt.open;
  throw new Error(`the handshake was refused: ${attempt.refused.status} ${JSON.stringify(attempt.refused.body)}`);
}
