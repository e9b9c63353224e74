import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccessLevel, Caller, RateLimited, RouteAccessConfig, Unauthorized } from './access.guard';
import { Authenticator } from './authentication';
import { assertSafeBodyType, UnsupportedMediaType } from './body-types';
import { CallerRateLimits } from './caller-rate-limits';
import { answerError } from './error-responses';
import { ACCESS_POLICY, AccessPolicy } from './facades';

/** Why the edge refused a request or a connection, for a counter (stockade_http_refusals_total). */
export type RefusalReason = 'unauthorized' | 'rate_limited' | 'unsupported_media_type' | 'connection_cap';
export type RefusalCounter = (reason: RefusalReason) => void;
/** Injection token of the RefusalCounter (optional). */
export const REFUSAL_COUNTER = Symbol('RefusalCounter');

/** The request as the gate leaves it for the controllers. */
export interface GatedRequest {
  stockadeCaller?: Caller;
  /** Takes up to `wanted` more requests from the caller's rate limit (a batch beyond its first item). */
  stockadeCharge?: (wanted: number) => { granted: number; retryAfterS: number };
}

/**
 * The checkouts of a batch beyond the first, which its request already paid for: how many of
 * `count` items the caller's rate limit admits (all when unlimited), and when to retry the rest.
 */
export function admitBatch(request: GatedRequest, count: number): { admitted: number; retryAfterS: number } {
  if (count <= 1 || !request.stockadeCharge) return { admitted: count, retryAfterS: 0 };
  const { granted, retryAfterS } = request.stockadeCharge(count - 1);
  return { admitted: 1 + granted, retryAfterS };
}

/**
 * Who a caller is and whether it may pass, for every way in: Fastify's onRequest hook (each HTTP
 * request) and the WebSocket upgrade (live-stock-socket.ts), which Fastify's hooks never see. One
 * instance per app, so both ways in take from the same rate-limit buckets.
 */
export class AccessDecisions {
  private readonly authenticator: Authenticator;
  private readonly limits: CallerRateLimits;
  private readonly open: { readonly apiOpen: boolean; readonly monitoringOpen: boolean };

  constructor(policy: AccessPolicy) {
    this.authenticator = new Authenticator(policy);
    this.limits = new CallerRateLimits(policy.rateLimits);
    const apiOpen = policy.apiToken === undefined && (policy.channelTokens?.size ?? 0) === 0;
    this.open = { apiOpen, monitoringOpen: apiOpen && policy.metricsToken === undefined && policy.exposed !== true };
  }

  /** The caller an `Authorization` header (or a token presented another way, as `Bearer <token>`) names. */
  callerOf(authorization: string | undefined): Caller {
    return this.authenticator.callerOf(authorization);
  }

  /**
   * Charges the caller one request and checks its role against `level`: throws RateLimited or
   * Unauthorized. Limited before authorized: guessing tokens costs a caller its own address's budget.
   */
  admit(request: { stockadeCaller?: Caller; ip?: string }, level: AccessLevel): void {
    const { granted, retryAfterS } = this.limits.take(request);
    if (granted < 1) throw new RateLimited(retryAfterS);
    authorize(level, request.stockadeCaller ?? { role: 'anonymous' }, this.open);
  }

  /** Takes up to `wanted` more requests from the caller's rate limit. */
  charge(request: { stockadeCaller?: Caller; ip?: string }, wanted: number): { granted: number; retryAfterS: number } {
    return this.limits.take(request, wanted);
  }
}

/**
 * Authentication, authorization, rate limiting and the CSRF-safe body rule, in Fastify's onRequest
 * hook: before the body is read, so a refused 4 MiB upload costs its headers, and before Nest's
 * router, so bus messages of a hybrid app pass none of it. Controllers find the caller on the
 * request (`channelOf`, `callerKeyOf`).
 */
export function installAccessGate(
  fastify: FastifyInstance,
  decisions: AccessDecisions,
  countRefusal: RefusalCounter = () => undefined,
): void {
  const logger = new Logger('http');

  fastify.addHook('onRequest', (request: FastifyRequest & GatedRequest, reply: FastifyReply, done: () => void) => {
    const route = (request.routeOptions.config ?? {}) as RouteAccessConfig;
    const level = route.stockadeAccess ?? 'api';
    if (level === 'probe') return done();
    request.stockadeCaller = decisions.callerOf(request.headers.authorization);
    try {
      decisions.admit(request, level);
      assertSafeBodyType(request.method, request.headers['content-type'], route.stockadeNdjson === true);
    } catch (error) {
      countRefusal(
        error instanceof RateLimited
          ? 'rate_limited'
          : error instanceof UnsupportedMediaType
            ? 'unsupported_media_type'
            : 'unauthorized',
      );
      // The body was not read: close the connection rather than read it only to throw it away.
      if (hasBody(request)) reply.header('connection', 'close');
      answerError(request, reply, error, logger);
      return undefined;
    }
    request.stockadeCharge = (wanted) => decisions.charge(request, wanted);
    return done();
  });
}

function authorize(level: AccessLevel, caller: Caller, open: { apiOpen: boolean; monitoringOpen: boolean }): void {
  if (level === 'public' || level === 'probe' || caller.role === 'operator') return;
  if (level === 'operator')
    throw new Unauthorized('operator endpoint: send Authorization: Bearer <STOCKADE_OPERATOR_TOKEN>');
  if (level === 'monitoring') {
    if (open.monitoringOpen || caller.role === 'metrics') return;
    throw new Unauthorized(
      'monitoring endpoint: send Authorization: Bearer <STOCKADE_METRICS_TOKEN or STOCKADE_OPERATOR_TOKEN>',
    );
  }
  if (open.apiOpen || caller.role === 'api' || caller.role === 'channel') return;
  throw new Unauthorized(
    caller.role === 'metrics'
      ? 'the metrics token reads /metrics and /health/ready only'
      : 'send Authorization: Bearer <STOCKADE_API_TOKEN or an upstream token>',
  );
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Installs the gate on the app's Fastify instance with the shell's access policy (before the app is ready). */
@Injectable()
export class AccessGate implements OnModuleInit {
  /** The app's decisions, for the ways in that are not HTTP requests (the WebSocket upgrade). */
  readonly decisions: AccessDecisions;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(ACCESS_POLICY) policy: AccessPolicy,
    @Optional() @Inject(REFUSAL_COUNTER) readonly countRefusal: RefusalCounter = () => undefined,
  ) {
    this.decisions = new AccessDecisions(policy);
  }

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) throw new Error('the access gate needs the HTTP adapter: HttpShellModule belongs to an HTTP app');
    installAccessGate(adapter.getInstance<FastifyInstance>(), this.decisions, this.countRefusal);
  }
}
