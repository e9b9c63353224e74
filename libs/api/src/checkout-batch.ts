import type { FastifyInstance } from 'fastify';
import { CheckoutBatchItemResult, CheckoutBatchResponse, CheckoutRequest, parseOrThrow } from '@stockade/contracts';
import { ValidationError } from '@stockade/kernel';
import { RateLimited } from './access.guard';
import { errorResponseFor } from './error-responses';

export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

/** An NDJSON body, one raw line per checkout: each line is parsed on its own, so one bad line refuses only itself. */
export class NdjsonLines {
  constructor(readonly lines: readonly string[]) {}
}

/**
 * Accepts `application/x-ndjson` bodies up to `bodyLimit` bytes (larger than a JSON body's
 * limit: it is the bulk format). Blank lines are skipped; the indexes in the answer count the
 * checkouts, not the blank lines.
 */
export function acceptNdjson(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.addContentTypeParser(NDJSON_CONTENT_TYPE, { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    done(
      null,
      new NdjsonLines(
        String(body)
          .split('\n')
          .filter((line) => line.trim() !== ''),
      ),
    );
  });
}

/** A batch body's checkouts, still unparsed: an array's items, or NDJSON lines. Anything else is not a batch. */
export function batchItems(body: unknown): readonly unknown[] | undefined {
  if (Array.isArray(body)) return body;
  if (body instanceof NdjsonLines) return body.lines.map((line) => new NdjsonLine(line));
  return undefined;
}

class NdjsonLine {
  constructor(readonly text: string) {}
}

function checkoutOf(item: unknown): CheckoutRequest {
  if (!(item instanceof NdjsonLine)) return parseOrThrow(CheckoutRequest, item);
  let parsed: unknown;
  try {
    parsed = JSON.parse(item.text);
  } catch (error) {
    throw new ValidationError([{ field: '(body)', message: `must be JSON: ${(error as Error).message}` }]);
  }
  return parseOrThrow(CheckoutRequest, parsed);
}

/** How many checkouts of one batch are placed at once: enough for group commit, bounded for a gateway's upstream calls. */
const PLACED_AT_ONCE = 256;

/** How a checkout becomes an order: the ordering context's placeOrder, whichever side of a wire it is on. */
export type PlaceOrder = (request: CheckoutRequest) => Promise<{ orderId: string }>;

/** How many checkouts of a batch the caller's rate limit admits (the first ones), and when to retry the rest. */
export type BatchAdmission = (count: number) => { admitted: number; retryAfterS: number };

/**
 * Places every checkout of a batch with the same idempotency as one at a time (the checkout id
 * is the order id; a repeat answers the same order), and answers each on its own: 202 with the
 * order id, or the status and body the same checkout alone would get. Invalid items are
 * refused without stopping the others. A batch costs what its checkouts would cost one by one:
 * those past the caller's rate limit (`admit`) are answered 429 without being placed.
 */
export async function placeCheckoutBatch(
  items: readonly unknown[],
  placeOrder: PlaceOrder,
  maxItems: number,
  admit?: BatchAdmission,
): Promise<CheckoutBatchResponse> {
  if (items.length === 0) throw new ValidationError([{ field: '(body)', message: 'must hold at least one checkout' }]);
  if (items.length > maxItems)
    throw new ValidationError([
      { field: '(body)', message: `must hold at most ${maxItems} checkouts (STOCKADE_MAX_CHECKOUTS_PER_REQUEST)` },
    ]);
  const { admitted, retryAfterS } = admit?.(items.length) ?? { admitted: items.length, retryAfterS: 0 };
  const results: CheckoutBatchItemResult[] = new Array(items.length);
  const overLimit = errorResponseFor(
    new RateLimited(retryAfterS, `over the rate limit: this checkout was not placed; retry it in ${retryAfterS} s`),
  );
  for (let index = admitted; index < items.length; index++)
    results[index] = { index, status: overLimit.status, ...overLimit.body } as CheckoutBatchItemResult;
  for (let start = 0; start < admitted; start += PLACED_AT_ONCE) {
    await Promise.all(
      items.slice(start, Math.min(start + PLACED_AT_ONCE, admitted)).map(async (item, offset) => {
        const index = start + offset;
        try {
          const { orderId } = await placeOrder(checkoutOf(item));
          results[index] = { index, status: 202, orderId };
        } catch (error) {
          const { status, body } = errorResponseFor(error);
          results[index] = { index, status, ...body } as CheckoutBatchItemResult;
        }
      }),
    );
  }
  const accepted = results.filter((result) => result.status === 202).length;
  return { accepted, refused: results.length - accepted, results };
}
