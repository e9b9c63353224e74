import type { IncomingMessage } from 'node:http';
import { BeforeApplicationShutdown, Inject } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { WebSocket, WebSocketServer } from 'ws';
import { StockadeError } from '@stockade/kernel';
import { Caller, callerKeyOf } from './access.guard';
import { AccessGate } from './access-gate';
import { errorResponseFor } from './error-responses';
import { LIVE_STOCK, LiveStockLevels, StreamOwner } from './live-stock';
import {
  LIVE_STOCK_SOCKET_PATH,
  LIVE_STOCK_SUBPROTOCOL,
  offeredProtocols,
  presentedAuthorization,
} from './live-stock-socket-protocol';
import { CLOSE_CODES, serveLiveStockSocket } from './live-stock-socket-session';
import { sameOrigin, upgradeClientAddress } from './upgrade-requests';

/** A handshake the gate let through, with who it is (the gate's verdict, for the connection). */
interface AdmittedUpgrade extends IncomingMessage {
  stockadeGated?: { readonly stockadeCaller: Caller; readonly ip: string };
}

/** A 403: a browser page of another site (cross-site WebSocket hijacking). */
class CrossSiteHandshake extends StockadeError {
  constructor() {
    super('FORBIDDEN', 'a page of another site may not open this stream (its Origin is not this host)');
  }
}

/**
 * Live stock levels over a WebSocket at /inventory/socket (ADR 0028), beside the SSE streams and
 * from the same pool. Fastify's onRequest gate never sees a handshake (Node hands upgrades to the
 * server's `upgrade` listeners), so the same checks run here, before the upgrade: the Origin must be
 * this site's, then the access gate's own decisions (token, role, rate limit, from the same
 * buckets as HTTP) and the pool's room for this caller. A refusal is the HTTP answer the route would
 * give (401, 403, 429, 503 with the same JSON body); the per-address connection cap applied at accept.
 */
@WebSocketGateway({ path: LIVE_STOCK_SOCKET_PATH, maxPayload: 16 * 1024 })
export class LiveStockSocketGateway
  implements OnGatewayInit<WebSocketServer>, OnGatewayConnection<WebSocket>, BeforeApplicationShutdown
{
  private server: WebSocketServer | undefined;

  constructor(
    @Inject(LIVE_STOCK) private readonly live: LiveStockLevels,
    @Inject(AccessGate) private readonly gate: AccessGate,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Nest builds the server from the decorator's static options; the checks need this app's policy, so they are set once it exists (before the app listens). */
  afterInit(server: WebSocketServer): void {
    this.server = server;
    server.options.verifyClient = ({ req }, done) => this.verify(req as AdmittedUpgrade, done);
    // Select the protocol, never the bearer one: echoing it would send the token back in a header.
    server.options.handleProtocols = (protocols) =>
      protocols.has(LIVE_STOCK_SUBPROTOCOL) ? LIVE_STOCK_SUBPROTOCOL : false;
  }

  handleConnection(socket: WebSocket, request: AdmittedUpgrade): void {
    const gated = request.stockadeGated;
    if (!gated) return socket.close(CLOSE_CODES.policyViolation, 'not admitted');
    serveLiveStockSocket(socket, {
      live: this.live,
      owner: ownerOf(gated),
      charge: () => this.gate.decisions.charge(gated, 1),
    });
  }

  /** Streams end with "going away" before the server closes, so clients reconnect rather than see a broken connection. */
  beforeApplicationShutdown(): void {
    for (const client of this.server?.clients ?? []) client.close(CLOSE_CODES.goingAway, 'Stockade is stopping');
  }

  private verify(
    request: AdmittedUpgrade,
    done: (ok: boolean, status?: number, body?: string, headers?: Record<string, string>) => void,
  ): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as object;
    const authorization = presentedAuthorization(
      request.headers.authorization,
      offeredProtocols(request.headers['sec-websocket-protocol']),
    );
    const gated = {
      stockadeCaller: this.gate.decisions.callerOf(authorization),
      ip: upgradeClientAddress(server, request),
    };
    try {
      if (!sameOrigin(server, request)) throw new CrossSiteHandshake();
      this.gate.decisions.admit(gated, 'api');
      this.live.assertRoom(ownerOf(gated));
    } catch (error) {
      const { status, body } = errorResponseFor(error);
      if (status === 401 || status === 403 || status === 429)
        this.gate.countRefusal(status === 429 ? 'rate_limited' : 'unauthorized');
      const retryAfterS = (error as { retryAfterS?: unknown }).retryAfterS;
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
        ...(status === 429 || status === 503
          ? { 'retry-after': String(typeof retryAfterS === 'number' ? retryAfterS : 1) }
          : {}),
      };
      return done(false, status, JSON.stringify(body), headers);
    }
    request.stockadeGated = gated;
    return done(true);
  }
}

/** Streams are capped per caller across both transports (its token's role or channel, or its address); operators have a reserve. */
const ownerOf = (gated: { stockadeCaller: Caller; ip: string }): StreamOwner => ({
  key: callerKeyOf(gated),
  operator: gated.stockadeCaller.role === 'operator',
});
