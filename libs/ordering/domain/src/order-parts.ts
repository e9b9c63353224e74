import type { OrderEvent, OrderLine, ReservationPart, Routed, ShortLine } from './order-events';
import { ExistingOrder, PartsProgress, paymentRefOf, PlacedOrder } from './order-state';

/**
 * An order whose lines live on several inventory shards is reserved, committed and released in
 * parts (ADR 0020). These are the saga's rules for them; the transition table calls them when
 * the order has more than one part, and an order in one part never gets here.
 */

/** Splits lines by the shard of their SKU, parts in shard order; the shard function is the deployment's. */
export function partsOf(lines: readonly OrderLine[], shardOf: (sku: string) => number): ReservationPart[] {
  const skusByShard = new Map<number, string[]>();
  for (const { sku } of lines) {
    const shard = shardOf(sku);
    skusByShard.set(shard, [...(skusByShard.get(shard) ?? []), sku]);
  }
  return [...skusByShard].sort(([a], [b]) => a - b).map(([shard, skus]) => ({ shard, skus }));
}

export function isInParts(order: PlacedOrder): boolean {
  return (order.parts?.length ?? 0) > 1;
}

export const NO_PROGRESS: PartsProgress = { reserved: {}, rejected: {}, committed: [] };

/** The shards the order's commit or release goes to: every part's, or none when inventory is not sharded. */
export function routeOf(order: PlacedOrder): Routed {
  return order.parts ? { shards: order.parts.map((part) => part.shard) } : {};
}

/** A part's reservation answer: recorded once; with the last answer, the order moves on (held) or is rejected naming every short line. */
export function partAnswered(
  current: ExistingOrder,
  shard: number | undefined,
  answer: { readonly expiresAt: string } | { readonly shortLines: readonly ShortLine[] },
): OrderEvent[] {
  const { order } = current;
  const progress = current.parts ?? NO_PROGRESS;
  if (
    shard === undefined ||
    !order.parts?.some((part) => part.shard === shard) ||
    shard in progress.reserved ||
    shard in progress.rejected
  )
    return [];
  const { orderId } = order;
  const recorded: OrderEvent =
    'expiresAt' in answer
      ? { type: 'StockPartReserved', data: { orderId, shard, expiresAt: answer.expiresAt } }
      : { type: 'StockPartRejected', data: { orderId, shard, shortLines: answer.shortLines } };
  const after = evolveParts(progress, recorded);
  const answered = Object.keys(after.reserved).length + Object.keys(after.rejected).length;
  if (answered < order.parts.length) return [recorded];
  const held = order.parts.map((part) => part.shard).filter((candidate) => candidate in after.reserved);
  if (held.length === order.parts.length) {
    const expiresAt = held.map((candidate) => after.reserved[candidate] as string).sort()[0] as string;
    return [
      recorded,
      { type: 'StockReserved', data: { orderId, expiresAt, amount: order.total, ...paymentRefOf(order) } },
    ];
  }
  // Every short line of every refused part, in the order's line order: what one shard would have said.
  const shortLines = order.parts.flatMap((part) => after.rejected[part.shard] ?? []);
  const reasons = order.lines.flatMap((line) =>
    shortLines.filter((short) => short.sku === line.sku).map((short) => short.reason),
  );
  return [
    recorded,
    {
      type: 'OrderRejected',
      data: { orderId, customerId: order.customerId, reasons, ...(held.length > 0 ? { releaseShards: held } : {}) },
    },
  ];
}

/**
 * The answer deadline passed with parts still unanswered (their shard had no owner, or inventory
 * was down): the order is rejected, naming the lines held up alongside any short ones, and every
 * part is released, the unanswered ones too. A release that overtakes its reserve leaves a
 * tombstone in inventory, so a reservation decided later is refused there, never left held.
 * Orders in one part wait as before: nothing of theirs is held elsewhere.
 */
export function partsTimedOut(current: ExistingOrder, waitedMs: number): OrderEvent[] {
  const { order } = current;
  if (!isInParts(order) || !order.parts) return [];
  const progress = current.parts ?? NO_PROGRESS;
  const unanswered = order.parts.filter(
    (part) => !(part.shard in progress.reserved) && !(part.shard in progress.rejected),
  );
  if (unanswered.length === 0) return [];
  const seconds = Math.round(waitedMs / 100) / 10;
  const late = new Map(
    unanswered.flatMap((part) =>
      part.skus.map(
        (sku) =>
          [sku, `${sku}: not decided, inventory shard ${part.shard} did not answer within ${seconds} s`] as const,
      ),
    ),
  );
  const shortLines = order.parts.flatMap((part) => progress.rejected[part.shard] ?? []);
  // In the order's line order, as a single shard's rejection would list them.
  const reasons = order.lines.flatMap((line) => {
    const lateReason = late.get(line.sku);
    return [
      ...shortLines.filter((short) => short.sku === line.sku).map((short) => short.reason),
      ...(lateReason === undefined ? [] : [lateReason]),
    ];
  });
  const release = order.parts.map((part) => part.shard).filter((shard) => !(shard in progress.rejected));
  return [
    {
      type: 'OrderRejected',
      data: { orderId: order.orderId, customerId: order.customerId, reasons, releaseShards: release },
    },
  ];
}

/** A part's units sold: recorded once; with the last part, the order is complete. */
export function partCommitted(current: ExistingOrder, shard: number | undefined): OrderEvent[] {
  const { order } = current;
  const progress = current.parts ?? NO_PROGRESS;
  if (shard === undefined || !order.parts?.some((part) => part.shard === shard) || progress.committed.includes(shard))
    return [];
  const recorded: OrderEvent = { type: 'ReservationPartCommitted', data: { orderId: order.orderId, shard } };
  if (progress.committed.length + 1 < order.parts.length) return [recorded];
  return [
    recorded,
    {
      type: 'OrderCompleted',
      data: { orderId: order.orderId, customerId: order.customerId, lines: order.lines, total: order.total },
    },
  ];
}

/** The parts still holding stock besides `shard` (which inventory already took back, or refused): released with the outcome. */
export function otherHeldParts(current: ExistingOrder, shard: number | undefined): number[] {
  const committed = current.parts?.committed ?? [];
  return (current.order.parts ?? [])
    .map((part) => part.shard)
    .filter((candidate) => candidate !== shard && !committed.includes(candidate));
}

export function evolveParts(progress: PartsProgress, event: OrderEvent): PartsProgress {
  switch (event.type) {
    case 'StockPartReserved':
      return { ...progress, reserved: { ...progress.reserved, [event.data.shard]: event.data.expiresAt } };
    case 'StockPartRejected':
      return { ...progress, rejected: { ...progress.rejected, [event.data.shard]: event.data.shortLines } };
    case 'ReservationPartCommitted':
      return { ...progress, committed: [...progress.committed, event.data.shard] };
    default:
      return progress;
  }
}
