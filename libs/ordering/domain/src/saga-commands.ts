import { assertNever } from '@stockade/kernel';
import type { OrderEvent, ReservationPart } from './order-events';

export const CANCELLED_BY_CUSTOMER = 'cancelled by customer';
export const PAYMENT_TIMED_OUT = 'payment timed out';
export const RESERVATION_EXPIRED = 'reservation expired';

/**
 * Where an inventory command goes when inventory is sharded (ADR 0020): the shard's partition,
 * and, for one part of an order in several, the part it is about.
 */
export interface InventoryRoute {
  readonly shard: number;
  /** True when the order is in several parts: the command names its part's shard. */
  readonly part: boolean;
}

type Routable = { readonly route?: InventoryRoute };

/** What the saga asks another service to do. */
export type SagaCommand =
  | ({
      readonly kind: 'ReserveStock';
      readonly lines: readonly { readonly sku: string; readonly quantity: number }[];
    } & Routable)
  | { readonly kind: 'AuthorizePayment'; readonly amount: number; readonly paymentRef?: string }
  | ({ readonly kind: 'CommitReservation' } & Routable)
  | ({ readonly kind: 'ReleaseReservation'; readonly reason: string } & Routable)
  | { readonly kind: 'VoidPayment'; readonly reason: string };

/** Another part of the order was refused, or its hold lapsed: what a held part is released with. */
export const ANOTHER_PART_ENDED = 'another part of the order could not be held';

/**
 * The commands a stored order event implies, from the event alone: the relay sends them, and
 * `evolve` records what was asked (the release reason, a void) from the same function, so the
 * two cannot disagree. This is why v2 stores no `…Requested` event next to each fact.
 */
export function sagaCommandsOf(event: OrderEvent): readonly SagaCommand[] {
  const { data } = event;
  switch (event.type) {
    case 'OrderPlaced':
      return reservationsOf(event.data.lines, event.data.parts);
    case 'StockReserved':
      // Decided inline: the decision follows in the same append and derives its own commands (ADR 0033).
      if (event.data.paymentDecided) return NO_COMMANDS;
      return [
        {
          kind: 'AuthorizePayment',
          amount: event.data.amount,
          ...(event.data.paymentRef === undefined ? {} : { paymentRef: event.data.paymentRef }),
        },
      ];
    case 'PaymentAuthorized':
      return routedTo(event.data.shards, (route) => ({ kind: 'CommitReservation', ...route }));
    case 'PaymentDeclined':
      return releases(event.data.shards, `payment declined: ${event.data.reason}`);
    case 'PaymentTimedOut':
      // The gateway may still approve after we stopped waiting: void whatever it decides.
      return [...releases(event.data.shards, PAYMENT_TIMED_OUT), { kind: 'VoidPayment', reason: PAYMENT_TIMED_OUT }];
    case 'OrderCancellationRequested':
      return releases(event.data.shards, CANCELLED_BY_CUSTOMER);
    case 'PaymentVoidRequested':
      return [{ kind: 'VoidPayment', reason: event.data.reason }];
    case 'OrderRejected':
    case 'OrderCancelled':
      // Parts of an order in several that still hold stock when it ends; never the part that ended it.
      return event.data.releaseShards ? releases(event.data.releaseShards, ANOTHER_PART_ENDED, true) : NO_COMMANDS;
    case 'OrderCompleted':
    case 'StockPartReserved':
    case 'StockPartRejected':
    case 'ReservationPartCommitted':
      return NO_COMMANDS;
    default:
      return assertNever(event, `order event for ${data.orderId}`);
  }
}

const NO_COMMANDS: readonly SagaCommand[] = [];

/** One reservation per part, with that part's lines; without parts, one for the order (inventory not sharded). */
function reservationsOf(
  lines: readonly { readonly sku: string; readonly quantity: number }[],
  parts: readonly ReservationPart[] | undefined,
): readonly SagaCommand[] {
  const plain = lines.map(({ sku, quantity }) => ({ sku, quantity }));
  if (!parts) return [{ kind: 'ReserveStock', lines: plain }];
  return parts.map((part) => ({
    kind: 'ReserveStock',
    lines: plain.filter((line) => part.skus.includes(line.sku)),
    route: { shard: part.shard, part: parts.length > 1 },
  }));
}

/** A command per shard the order lives on (one for an order in one part), or one unrouted command. */
function routedTo(
  shards: readonly number[] | undefined,
  command: (route: { readonly route?: InventoryRoute }) => SagaCommand,
  part = (shards?.length ?? 0) > 1,
): readonly SagaCommand[] {
  if (!shards) return [command({})];
  return shards.map((shard) => command({ route: { shard, part } }));
}

function releases(shards: readonly number[] | undefined, reason: string, part?: boolean): readonly SagaCommand[] {
  return routedTo(shards, (route) => ({ kind: 'ReleaseReservation', reason, ...route }), part);
}
