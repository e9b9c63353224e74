import {
  channelCheckoutTopic,
  channelNamespace,
  CheckoutRequest,
  CheckoutRequestedData,
  CheckoutRequestedV1,
  parseOrThrow,
} from '@stockade/contracts';
import { deterministicId, ValidationError } from '@stockade/kernel';
import type { CausingMessage } from './order-stream-writer';
import { parseRawJson } from './raw-json';

export interface CheckoutArrival {
  readonly request: CheckoutRequestedData;
  readonly cause: CausingMessage;
}

/**
 * Upstream publishers send either the bare POST /checkouts body or a CheckoutRequested.v1
 * envelope; a value with a `type` is read as an envelope, so a malformed one is reported by its
 * envelope fields rather than as a bad bare body. The envelope's `occurredAt` is the sender's
 * claim and is not used: the order is placed at the service's time.
 *
 * With a `channel`, the value came from that channel's own topic (`checkout.requested.<channel>`,
 * which only the channel's principal may write, ADR 0023): its customer must be one of the
 * channel's (`<channel>:…`), or it is refused as bad input (dead-lettered, naming both), and its
 * order id is the channel's namespaced id, exactly as over HTTP.
 */
export function readCheckoutRequested(rawValue: string, channel?: string): CheckoutArrival {
  const { request: sent, messageId } = readValue(rawValue);
  const request = channel === undefined ? sent : inChannel(sent, channel);
  return { request, cause: messageId ? { messageId } : checkoutCause(request.checkoutId) };
}

/** Without a message id, the checkout id is the identity of the request. */
export function checkoutCause(checkoutId: string): CausingMessage {
  return { messageId: deterministicId('checkout', checkoutId) };
}

function readValue(rawValue: string): { request: CheckoutRequestedData; messageId?: string } {
  const value = parseRawJson(rawValue);
  if (typeof value === 'object' && value !== null && 'type' in value) {
    const envelope = parseOrThrow(CheckoutRequestedV1, value);
    return { request: envelope.data, messageId: envelope.messageId };
  }
  return { request: parseOrThrow(CheckoutRequest, value) };
}

function inChannel(request: CheckoutRequestedData, channel: string): CheckoutRequest {
  const namespace = channelNamespace(channel);
  if (!namespace.owns(request.customerId)) {
    throw new ValidationError([
      {
        field: 'customerId',
        message: `customer ${request.customerId} is not a customer of channel ${channel}: ${channelCheckoutTopic(channel)} takes only ${channel}: customers`,
      },
    ]);
  }
  // Exactly what the channel's POST /checkouts may carry: fields only Stockade's own producers may
  // send on checkout.requested are refused here too, whatever the envelope's schema allows.
  return parseOrThrow(CheckoutRequest, { ...request, checkoutId: namespace.qualify(request.checkoutId) });
}
