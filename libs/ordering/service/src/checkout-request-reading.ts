import { CheckoutRequest, CheckoutRequestedData, CheckoutRequestedV1, parseOrThrow } from '@stockade/contracts';
import { deterministicId } from '@stockade/kernel';
import type { CausingMessage } from './order-stream-writer';
import { parseRawJson } from './raw-json';

export interface CheckoutArrival {
  readonly request: CheckoutRequestedData;
  readonly cause: CausingMessage & { readonly occurredAt?: string };
}

/**
 * Upstream publishers send either the bare POST /checkouts body or a CheckoutRequested.v1
 * envelope; a value with a `type` is read as an envelope, so a malformed one is reported by its
 * envelope fields rather than as a bad bare body.
 */
export function readCheckoutRequested(rawValue: string): CheckoutArrival {
  const value = parseRawJson(rawValue);
  if (typeof value === 'object' && value !== null && 'type' in value) {
    const envelope = parseOrThrow(CheckoutRequestedV1, value);
    return { request: envelope.data, cause: { messageId: envelope.messageId, occurredAt: envelope.occurredAt } };
  }
  const request = parseOrThrow(CheckoutRequest, value);
  return { request, cause: checkoutCause(request.checkoutId) };
}

/** Without a message id, the checkout id is the identity of the request. */
export function checkoutCause(checkoutId: string): CausingMessage {
  return { messageId: deterministicId('checkout', checkoutId) };
}
