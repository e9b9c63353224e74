import proxyAddr from '@fastify/proxy-addr';
import type { IncomingMessage } from 'node:http';

/**
 * What an HTTP upgrade request (a WebSocket handshake) needs that Fastify works out for every
 * other request: Fastify's hooks and `request.ip` never see an upgrade, which Node hands to the
 * server's `upgrade` listeners instead.
 */
type TrustsProxy = (address: string, hop: number) => boolean;

const trustedProxiesOf = new WeakMap<object, TrustsProxy>();

/** Remembers which proxies the HTTP server believes (stockadeHttpAdapter), for its upgrade requests. */
export function rememberTrustedProxies(server: object, trusts: TrustsProxy): void {
  trustedProxiesOf.set(server, trusts);
}

/**
 * The client's address as Fastify's `request.ip` would give it: the socket's peer, or the client a
 * trusted proxy names in X-Forwarded-For (the same library Fastify uses, with the same trust).
 */
export function upgradeClientAddress(server: object, request: IncomingMessage): string {
  const trusts = trustedProxiesOf.get(server) ?? (() => false);
  return proxyAddr(request, trusts);
}

/**
 * Whether a browser's handshake comes from a page of this very site. Browsers send `Origin` on
 * every WebSocket handshake and the same-origin policy does not apply to WebSockets (no CORS), so
 * without this a page of any other site could open a live stream from the user's browser, with
 * the user's network position (an open loopback deployment), and read it. A handshake without
 * `Origin` is not a browser's, and proves itself with its token like any API client. Behind a
 * trusted proxy the site's host is the one the proxy forwards (X-Forwarded-Host).
 */
export function sameOrigin(server: object, request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return false;
  }
  const trusts = trustedProxiesOf.get(server);
  const forwarded = request.headers['x-forwarded-host'];
  const viaProxy =
    typeof forwarded === 'string' && trusts !== undefined && trusts(request.socket.remoteAddress ?? '', 0);
  const host = viaProxy ? forwarded.split(',').at(-1)?.trim() : request.headers.host;
  return host !== undefined && host.toLowerCase() === originHost;
}
