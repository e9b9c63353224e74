import { applyDecorators, CanActivate, Controller, ExecutionContext, Inject, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { StockadeError } from '@stockade/kernel';
import { ACCESS_POLICY, AccessPolicy } from './facades';
import { RateLimiter } from './rate-limiter';

export type AccessLevel = 'public' | 'api' | 'operator';
const ACCESS_LEVEL = 'stockade:access';

/** Marks a route: `public` (health, docs), `api` (default: open unless an API token is configured), `operator`. */
export const Access = (level: AccessLevel) => SetMetadata(ACCESS_LEVEL, level);

export class Unauthorized extends StockadeError {
  constructor(message: string) {
    super('UNAUTHORIZED', message);
  }
}

export class RateLimited extends StockadeError {
  constructor(readonly retryAfterS: number) {
    super('RATE_LIMITED', `too many requests: retry in ${retryAfterS} s`, { retriable: true });
  }
}

/** Who a request is, once the guard has looked at its token. */
export type Caller = { readonly role: 'operator' } | { readonly role: 'api' } | { readonly role: 'channel'; readonly channel: string } | { readonly role: 'anonymous' };

interface GuardedRequest {
  readonly headers: Record<string, string | undefined>;
  readonly ip?: string;
  stockadeCaller?: Caller;
}

/** The channel of the request's upstream token, if it came with one (set by the AccessGuard). */
export const channelOf = (request: { stockadeCaller?: Caller }): string | undefined => (request.stockadeCaller?.role === 'channel' ? request.stockadeCaller.channel : undefined);

@Injectable()
export class AccessGuard implements CanActivate {
  private readonly limiter: RateLimiter | undefined;

  constructor(
    private readonly reflector: Reflector,
    @Inject(ACCESS_POLICY) private readonly access: AccessPolicy,
  ) {
    this.limiter = access.rateLimit ? new RateLimiter(access.rateLimit.perSecond, access.rateLimit.burst) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const level = this.reflector.getAllAndOverride<AccessLevel>(ACCESS_LEVEL, [context.getHandler(), context.getClass()]) ?? 'api';
    if (level === 'public') return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const presented = bearerToken(request.headers.authorization);
    const caller = this.callerOf(presented);
    request.stockadeCaller = caller;
    this.limit(caller, request.ip);
    if (level === 'operator') {
      if (caller.role === 'operator') return true;
      throw new Unauthorized('operator endpoint: send Authorization: Bearer <STOCKADE_OPERATOR_TOKEN>');
    }
    const open = this.access.apiToken === undefined && (this.access.channelTokens?.size ?? 0) === 0;
    if (open || caller.role !== 'anonymous') return true;
    throw new Unauthorized('send Authorization: Bearer <STOCKADE_API_TOKEN or an upstream token>');
  }

  /** Every token is compared in constant time, all of them every time, so timing says nothing about which one nearly matched. */
  private callerOf(presented: string | undefined): Caller {
    if (presented === undefined) return { role: 'anonymous' };
    let caller: Caller = { role: 'anonymous' };
    if (sameSecret(presented, this.access.operatorToken)) caller = { role: 'operator' };
    if (this.access.apiToken !== undefined && sameSecret(presented, this.access.apiToken) && caller.role === 'anonymous') caller = { role: 'api' };
    for (const [token, channel] of this.access.channelTokens ?? []) if (sameSecret(presented, token) && caller.role === 'anonymous') caller = { role: 'channel', channel };
    return caller;
  }

  /** Per caller: a token's own bucket (keyed by its role or channel, never by the secret), or the address of a caller without one. Operators are not limited. */
  private limit(caller: Caller, ip: string | undefined): void {
    if (!this.limiter || caller.role === 'operator') return;
    const key = caller.role === 'channel' ? `channel:${caller.channel}` : caller.role === 'api' ? 'api-token' : `address:${ip ?? 'unknown'}`;
    const wait = this.limiter.take(key, Date.now());
    if (wait !== undefined) throw new RateLimited(wait);
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** Constant-time comparison, so response timing does not leak how much of a token matched. */
function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A controller of the public API: its routes pass the AccessGuard (`api` unless marked otherwise).
 * Bound per controller, not globally, because a global guard also runs on every bus message of a
 * hybrid app (measured: 3 µs a message, ten times the rest of the Nest transport's cost).
 */
export function ApiController(prefix = ''): ClassDecorator {
  return applyDecorators(Controller(prefix), UseGuards(AccessGuard));
}
