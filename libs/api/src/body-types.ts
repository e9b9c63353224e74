import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { NDJSON_CONTENT_TYPE } from './checkout-batch';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const JSON_CONTENT_TYPE = 'application/json';

/** 415: Fastify-shaped (a statusCode), so the one error mapping answers it as UNSUPPORTED_MEDIA_TYPE. */
export class UnsupportedMediaType extends Error {
  readonly statusCode = 415;
}

/**
 * The CSRF-safe rule: a request that changes state must say it is JSON (or NDJSON where a route
 * takes batches). A browser sends those types cross-site only after a CORS preflight, which
 * Stockade never grants, while a form (urlencoded, multipart, text/plain) or a body-less
 * cross-site POST needs none: so a form on another site can change nothing, with or without a
 * cookie or a token. Checked before the body is read.
 */
export function assertSafeBodyType(method: string, contentType: string | undefined, acceptsNdjson: boolean): void {
  if (!STATE_CHANGING.has(method)) return;
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType === JSON_CONTENT_TYPE || (acceptsNdjson && mediaType === NDJSON_CONTENT_TYPE)) return;
  const accepted = acceptsNdjson ? `${JSON_CONTENT_TYPE} or ${NDJSON_CONTENT_TYPE}` : JSON_CONTENT_TYPE;
  throw new UnsupportedMediaType(
    `${method} needs content-type: ${accepted}${mediaType ? `, not ${mediaType}` : ''} (an empty body is fine); a state-changing request must not look like a form`,
  );
}

/**
 * JSON bodies up to `bodyLimit`, where an empty body is no body (undefined): `POST
 * /orders/{id}/cancel` and `DELETE` carry none, yet must say JSON. Registered through the adapter,
 * so Nest adds no parser of its own: a form body (urlencoded) is never parsed at all.
 */
export function acceptJson(adapter: FastifyAdapter, bodyLimit: number): void {
  const fastify = adapter.getInstance() as unknown as FastifyInstance;
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  adapter.useBodyParser(JSON_CONTENT_TYPE, false, { bodyLimit }, (request, body, done) => {
    if ((body as Buffer).length === 0) return done(null, undefined);
    parseJson(request, body as unknown as string, done); // it takes a Buffer too (secure-json-parse), as Nest passes one
  });
}
