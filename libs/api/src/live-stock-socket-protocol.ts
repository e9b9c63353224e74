import { LIMITS, parseOrThrow, Sku } from '@stockade/contracts';
import { ValidationError } from '@stockade/kernel';
import { z } from 'zod';
import type { LiveLevel } from './live-stock';

/**
 * The live stock WebSocket's protocol (ADR 0028): JSON text frames, each with a `type`.
 *
 * Client to server:
 * - `{"type":"subscribe","skus":["DESK-LAMP",…]}`: follow these SKUs too (at most 100 followed at once);
 * - `{"type":"unsubscribe","skus":[…]}`: stop following them;
 * - `{"type":"ping"}`: answered `{"type":"pong"}` (browsers cannot send protocol pings).
 *
 * Server to client:
 * - `{"type":"subscribed","skus":[…]}`: every SKU followed now, before the new SKUs' current levels;
 * - `{"type":"level","level":{sku,onHand,reserved,available,status,name?,unitPrice?,at?}}`: a SKU's
 *   current level after a subscribe, then each change (a slow client gets the latest per SKU);
 * - `{"type":"error","error":"VALIDATION_FAILED","message","issues":[{field,message}]}`: a frame refused;
 * - `{"type":"pong"}`.
 */
export const LIVE_STOCK_SOCKET_PATH = '/inventory/socket';

/** The subprotocol a client offers (and the server selects); a browser offers its token beside it. */
export const LIVE_STOCK_SUBPROTOCOL = 'stockade.live.v1';
/** `stockade.bearer.<the token, base64url>`: how a browser, which cannot set Authorization on a WebSocket, presents its token. */
export const BEARER_SUBPROTOCOL_PREFIX = 'stockade.bearer.';

const SkuArray = z
  .array(Sku)
  .min(1, 'must name at least one SKU')
  .max(LIMITS.maxLiveSkus, `must name at most ${LIMITS.maxLiveSkus} SKUs`);

export const LiveStockClientFrame = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('subscribe'), skus: SkuArray }),
  z.strictObject({ type: z.literal('unsubscribe'), skus: SkuArray }),
  z.strictObject({ type: z.literal('ping') }),
]);
export type LiveStockClientFrame = z.infer<typeof LiveStockClientFrame>;

export type LiveStockServerFrame =
  | { readonly type: 'subscribed'; readonly skus: readonly string[] }
  | { readonly type: 'level'; readonly level: LiveLevel }
  | {
      readonly type: 'error';
      readonly error: string;
      readonly message: string;
      readonly issues?: readonly { field: string; message: string }[];
      readonly retryAfterS?: number;
    }
  | { readonly type: 'pong' };

/** A text frame as a client frame, or a ValidationError naming the field (`(frame)` when it is not JSON at all). */
export function parseClientFrame(text: string): LiveStockClientFrame {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError([{ field: '(frame)', message: 'must be a JSON object' }]);
  }
  return parseOrThrow(LiveStockClientFrame, json);
}

/** The token a handshake presents: its Authorization header, or else the bearer subprotocol. */
export function presentedAuthorization(
  authorization: string | undefined,
  protocols: ReadonlySet<string>,
): string | undefined {
  if (authorization !== undefined) return authorization;
  for (const protocol of protocols) {
    if (!protocol.startsWith(BEARER_SUBPROTOCOL_PREFIX)) continue;
    const token = Buffer.from(protocol.slice(BEARER_SUBPROTOCOL_PREFIX.length), 'base64url').toString('utf8');
    return token === '' ? undefined : `Bearer ${token}`;
  }
  return undefined;
}

/** The subprotocols a handshake offers (Sec-WebSocket-Protocol, comma-separated). */
export function offeredProtocols(header: string | string[] | undefined): Set<string> {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return new Set(
    value
      .split(',')
      .map((protocol) => protocol.trim())
      .filter(Boolean),
  );
}
