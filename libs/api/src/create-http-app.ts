import type { LoggerService } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { Server } from 'node:net';
import { acceptJson } from './body-types';
import { acceptNdjson } from './checkout-batch';
import { capConnectionsPerAddress } from './connection-caps';
import { recordRoutes } from './registered-routes';
import { TrustedProxies } from './trusted-proxies';
import { rememberTrustedProxies } from './upgrade-requests';

/** How the HTTP server takes connections and bodies (the access policy is the shell's: HttpShellModule). */
export interface HttpServerOptions {
  /** Largest accepted request body in bytes (default 64 KiB); larger gets 413. */
  readonly bodyLimitBytes?: number;
  /** Largest NDJSON body (batch checkouts), default 4 MiB. */
  readonly batchBodyLimitBytes?: number;
  /** Longest a client may take to send a request (default 30 s); slower gets 408. */
  readonly requestTimeoutMs?: number;
  /** Proxies whose X-Forwarded-For is believed (IPs, CIDRs, loopback/linklocal/uniquelocal); none by default. */
  readonly trustedProxies?: readonly string[];
  /** Open connections one address may hold (trusted proxies exempt); 0 or absent: no cap. */
  readonly maxConnectionsPerAddress?: number;
  /** Called for each connection refused by the cap (a metric). */
  readonly onConnectionRefused?: () => void;
}

export interface HttpAppOptions extends HttpServerOptions {
  readonly version?: string;
  /** Nest's own logging: the process's logger (PinoNestLogger), or levels to Nest's console logger; off in tests. */
  readonly logger?: false | ('error' | 'warn' | 'log' | 'debug')[] | LoggerService;
  /** Hooks of the app's own on the Fastify instance before Nest registers the routes (the gateway's trace context). */
  readonly prepare?: (fastify: FastifyInstance) => void;
}

/**
 * The Fastify adapter every Stockade HTTP app uses: JSON up to `bodyLimitBytes` (an empty body is
 * none), NDJSON (batch checkouts) up to `batchBodyLimitBytes`, past them 413; no other body type
 * is parsed. Trusted proxies decide `request.ip`; one address holds at most so many connections.
 */
export function stockadeHttpAdapter(options: HttpServerOptions = {}): FastifyAdapter {
  const { bodyLimitBytes = 64 * 1024, batchBodyLimitBytes = 4 * 1024 * 1024, requestTimeoutMs = 30_000 } = options;
  const proxies = new TrustedProxies(options.trustedProxies ?? []);
  // requestTimeout: a client that never finishes sending (slow loris) is cut off instead of holding a socket forever.
  // Node enforces it when it checks its connections, every 30 s by default: often enough, here, to cut within the timeout.
  const connectionsCheckingInterval = Math.max(250, Math.min(5_000, Math.floor(requestTimeoutMs / 3)));
  // `http` (options of http.createServer) is passed through by Fastify 5; its typings only know it for http2.
  // Node applies the request timeout only when the headers timeout is not longer than it.
  const httpServerOptions: object = {
    http: { connectionsCheckingInterval, headersTimeout: Math.min(60_000, requestTimeoutMs) },
  };
  const adapter = new FastifyAdapter({
    bodyLimit: bodyLimitBytes,
    requestTimeout: requestTimeoutMs,
    // request.ip: the socket's peer, or the client a trusted proxy names in X-Forwarded-For.
    trustProxy: proxies.empty ? false : (address: string) => proxies.trusts(address),
    ...httpServerOptions,
  });
  // WebSocket handshakes bypass Fastify: they resolve the client's address with the same trust.
  rememberTrustedProxies(adapter.getInstance().server, (address) => proxies.trusts(address));
  // What the app answers, to compare with what its document says (the test of every route documented).
  recordRoutes(adapter.getInstance());
  acceptJson(adapter, bodyLimitBytes);
  acceptNdjson(adapter.getInstance(), batchBodyLimitBytes);
  if (options.maxConnectionsPerAddress) {
    capConnectionsPerAddress(adapter.getInstance().server as Server, options.maxConnectionsPerAddress, {
      exempt: (address) => proxies.trusts(address),
      ...(options.onConnectionRefused ? { onRefused: options.onConnectionRefused } : {}),
    });
  }
  return adapter;
}
