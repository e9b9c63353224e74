import { Controller } from '@nestjs/common';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { ApiConsumes, ApiExtension } from '@nestjs/swagger';
import { StockadeError } from '@stockade/kernel';
import { addressBucketOf } from './client-address';

/**
 * Who may call a route. The access gate (access-gate.ts) reads it in Fastify's `onRequest`, before
 * the body is read, from the route's Fastify config that `@Access` writes:
 * - `probe`: anyone, never rate limited (GET /health/live: a liveness probe must not be refused);
 * - `public`: anyone (pages, docs), rate limited like every caller;
 * - `monitoring`: /metrics and readiness: open on a loopback deployment without tokens, else the
 *   operator's or the metrics token;
 * - `api` (a route without a level): open unless an API or upstream token is configured;
 * - `operator`: the operator token only.
 */
export type AccessLevel = 'probe' | 'public' | 'monitoring' | 'api' | 'operator';
const ACCESS_LEVEL = 'stockade:access';
/** The OpenAPI extension naming a route's level: its security and the gate's refusals are documented from it (openapi.ts). */
export const ACCESS_EXTENSION = 'x-stockade-access';

/** The Fastify route config the access gate reads in `onRequest`. */
export interface RouteAccessConfig {
  readonly stockadeAccess?: AccessLevel;
  /** The route takes `application/x-ndjson` bodies besides JSON (batch checkouts). */
  readonly stockadeNdjson?: boolean;
}

function addRouteConfig(handler: object, config: RouteAccessConfig): void {
  Reflect.defineMetadata(
    FASTIFY_ROUTE_CONFIG_METADATA,
    { ...Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler), ...config },
    handler,
  );
}

function markRoute(handler: object, level: AccessLevel): void {
  Reflect.defineMetadata(ACCESS_LEVEL, level, handler);
  addRouteConfig(handler, { stockadeAccess: level });
  ApiExtension(ACCESS_EXTENSION, level)({}, '', { value: handler });
}

/**
 * Marks a route, or every route of a controller that has no level of its own (see AccessLevel).
 * Nest copies only a method's metadata to its Fastify route, so on a class the level is written
 * to each method; method decorators run before class decorators, so a method's own level wins.
 */
export function Access(level: AccessLevel): ClassDecorator & MethodDecorator {
  return ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      markRoute(descriptor.value as object, level);
      return descriptor;
    }
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method =
        name === 'constructor' ? undefined : (Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown);
      if (typeof method === 'function' && Reflect.getMetadata(ACCESS_LEVEL, method) === undefined)
        markRoute(method, level);
    }
    return undefined;
  }) as ClassDecorator & MethodDecorator;
}

const JSON_MEDIA_TYPE = 'application/json';
const NDJSON_MEDIA_TYPE = 'application/x-ndjson';

/** The route also takes NDJSON bodies (`application/x-ndjson`): every other state-changing request must be JSON. */
export const AcceptsNdjson = (): MethodDecorator => (_target, _key, descriptor) => {
  addRouteConfig(descriptor.value as object, { stockadeNdjson: true });
  ApiConsumes(JSON_MEDIA_TYPE, NDJSON_MEDIA_TYPE)(_target, _key, descriptor);
  return descriptor;
};

export class Unauthorized extends StockadeError {
  constructor(message: string) {
    super('UNAUTHORIZED', message);
  }
}

export class RateLimited extends StockadeError {
  constructor(
    readonly retryAfterS: number,
    message = `too many requests: retry in ${retryAfterS} s`,
  ) {
    super('RATE_LIMITED', message, { retriable: true });
  }
}

/** Who a request is, once the access gate has looked at its token. */
export type Caller =
  | { readonly role: 'operator' }
  | { readonly role: 'api' }
  | { readonly role: 'channel'; readonly channel: string }
  /** STOCKADE_METRICS_TOKEN: reads /metrics and readiness, nothing else. */
  | { readonly role: 'metrics' }
  | { readonly role: 'anonymous' };

/** The channel of the request's upstream token, if it came with one (set by the access gate). */
export const channelOf = (request: { stockadeCaller?: Caller }): string | undefined =>
  request.stockadeCaller?.role === 'channel' ? request.stockadeCaller.channel : undefined;

/**
 * One caller for limits (rate, live streams): a token's role or channel (never the secret), or
 * the address of a caller without a token (an IPv6 caller by its /64, which one host is given).
 */
export function callerKeyOf(request: { stockadeCaller?: Caller; ip?: string }): string {
  const caller = request.stockadeCaller ?? { role: 'anonymous' };
  if (caller.role === 'channel') return `channel:${caller.channel}`;
  if (caller.role === 'anonymous') return `address:${addressBucketOf(request.ip ?? 'unknown')}`;
  return caller.role;
}

/**
 * A controller of the public API. Its routes are `api` unless marked otherwise; who may call them
 * is decided by the access gate in Fastify's onRequest hook, so bus messages of a hybrid app pay
 * nothing for it and a refused request never has its body read.
 */
export function ApiController(prefix = ''): ClassDecorator {
  return Controller(prefix);
}
