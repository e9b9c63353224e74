import { deciderSpec } from '@stockade/kernel/testing';
import { orderDecider } from './order-decider';
import type { OrderEvent } from './order-events';
import type { ReportedFact } from './order-inputs';
import { partsOf } from './order-parts';
import { ANOTHER_PART_ENDED, sagaCommandsOf } from './saga-commands';
import { customerId, lines, now, orderId, total } from './testing/order-scenarios';

/**
 * An order whose LAMP lives on inventory shard 1 and DESK on shard 3 (ADR 0020): reserved,
 * committed and released in two parts, with the same outcome and reasons one shard would give.
 */
const spec = deciderSpec(orderDecider);
const parts = [
  { shard: 1, skus: ['LAMP'] },
  { shard: 3, skus: ['DESK'] },
];
const placed: OrderEvent = {
  type: 'OrderPlaced',
  data: { orderId, customerId, lines, paymentRef: 'ref-ok', total, placedAt: now, parts },
};
const LAMP_SHORT = { sku: 'LAMP', requested: 2, available: 1, reason: 'LAMP: only 1 available, 2 requested' };
const DESK_SHORT = { sku: 'DESK', requested: 1, available: 0, reason: 'DESK: only 0 available, 1 requested' };

const reserved = (shard: number, expiresAt = '2026-03-01T10:15:00.000Z'): ReportedFact => ({
  type: 'StockReserved',
  data: { orderId, expiresAt, shard },
});
const rejected = (shard: number, shortLine: typeof LAMP_SHORT): ReportedFact => ({
  type: 'StockReservationRejected',
  data: { orderId, shortLines: [shortLine], shard },
});
const partReserved = (shard: number, expiresAt = '2026-03-01T10:15:00.000Z'): OrderEvent => ({
  type: 'StockPartReserved',
  data: { orderId, shard, expiresAt },
});
const partRejected = (shard: number, shortLine: typeof LAMP_SHORT): OrderEvent => ({
  type: 'StockPartRejected',
  data: { orderId, shard, shortLines: [shortLine] },
});
const authorized: OrderEvent = { type: 'PaymentAuthorized', data: { orderId, shards: [1, 3] } };
const held = [
  placed,
  partReserved(1, '2026-03-01T10:14:00.000Z'),
  partReserved(3),
  {
    type: 'StockReserved',
    data: { orderId, expiresAt: '2026-03-01T10:14:00.000Z', amount: total, paymentRef: 'ref-ok' },
  },
] as OrderEvent[];

describe('an order in parts across inventory shards (ADR 0020)', () => {
  it('given lines on two shards, when they are split, then there is one part per shard, in shard order', () => {
    const shardOf = (sku: string) => ({ LAMP: 3, DESK: 1, MUG: 3 })[sku] as number;
    expect(partsOf([...lines, { sku: 'MUG', quantity: 1, unitPrice: 4 }], shardOf)).toEqual([
      { shard: 1, skus: ['DESK'] },
      { shard: 3, skus: ['LAMP', 'MUG'] },
    ]);
  });

  it('given it is placed in two parts, then one reservation goes to each shard with that part’s lines', () => {
    expect(sagaCommandsOf(placed)).toEqual([
      { kind: 'ReserveStock', lines: [{ sku: 'LAMP', quantity: 2 }], route: { shard: 1, part: true } },
      { kind: 'ReserveStock', lines: [{ sku: 'DESK', quantity: 1 }], route: { shard: 3, part: true } },
    ]);
  });

  it('given one part held, when the other is held too, then the order is held until the earlier of the two expiries and its payment is asked for', () => {
    spec
      .given([placed, partReserved(3)])
      .when(reserved(1, '2026-03-01T10:14:00.000Z'))
      .then([
        partReserved(1, '2026-03-01T10:14:00.000Z'),
        {
          type: 'StockReserved',
          data: { orderId, expiresAt: '2026-03-01T10:14:00.000Z', amount: total, paymentRef: 'ref-ok' },
        },
      ]);
  });

  it('given no part answered, when one is held, then only that part is recorded: the order waits for the other', () => {
    spec
      .given([placed])
      .when(reserved(1))
      .then([partReserved(1)]);
  });

  it('given a part already answered, when its answer is delivered again, then nothing is recorded', () => {
    spec
      .given([placed, partReserved(1)])
      .when(reserved(1))
      .then([]);
  });

  it('given one part refused, when the other is refused too, then the order is rejected naming every short line in line order, and nothing is released', () => {
    spec
      .given([placed, partRejected(3, DESK_SHORT)])
      .when(rejected(1, LAMP_SHORT))
      .then([
        partRejected(1, LAMP_SHORT),
        { type: 'OrderRejected', data: { orderId, customerId, reasons: [LAMP_SHORT.reason, DESK_SHORT.reason] } },
      ]);
  });

  it('given one part held, when the other is refused, then the order is rejected with the short line, and the held part is released with the outcome', () => {
    const outcome: OrderEvent = {
      type: 'OrderRejected',
      data: { orderId, customerId, reasons: [DESK_SHORT.reason], releaseShards: [1] },
    };
    spec
      .given([placed, partReserved(1)])
      .when(rejected(3, DESK_SHORT))
      .then([partRejected(3, DESK_SHORT), outcome]);
    expect(sagaCommandsOf(outcome)).toEqual([
      { kind: 'ReleaseReservation', reason: ANOTHER_PART_ENDED, route: { shard: 1, part: true } },
    ]);
  });

  it('given a refused part, when the order is rejected, then its view says REJECTED with the reasons, like an order in one part', () => {
    const state = [
      placed,
      partReserved(1),
      partRejected(3, DESK_SHORT),
      {
        type: 'OrderRejected',
        data: { orderId, customerId, reasons: [DESK_SHORT.reason], releaseShards: [1] },
      } as OrderEvent,
    ].reduce(orderDecider.evolve, orderDecider.initialState());
    expect(state).toMatchObject({ kind: 'existing', phase: 'REJECTED', reasons: [DESK_SHORT.reason] });
  });

  it('given both parts held, when payment is authorized, then it is recorded with both shards and a commit goes to each', () => {
    spec.given(held).when({ type: 'PaymentAuthorized', data: { orderId } }).then([authorized]);
    expect(sagaCommandsOf(authorized)).toEqual([
      { kind: 'CommitReservation', route: { shard: 1, part: true } },
      { kind: 'CommitReservation', route: { shard: 3, part: true } },
    ]);
  });

  it('given both parts committing, when the first commits, then only that part is recorded; when the second does, the order completes', () => {
    spec
      .given([...held, authorized])
      .when({ type: 'ReservationCommitted', data: { orderId, shard: 3 } })
      .then([{ type: 'ReservationPartCommitted', data: { orderId, shard: 3 } }]);
    spec
      .given([...held, authorized, { type: 'ReservationPartCommitted', data: { orderId, shard: 3 } }])
      .when({ type: 'ReservationCommitted', data: { orderId, shard: 1 } })
      .then([
        { type: 'ReservationPartCommitted', data: { orderId, shard: 1 } },
        { type: 'OrderCompleted', data: { orderId, customerId, lines, total } },
      ]);
  });

  it('given both parts held, when payment is declined, then a release goes to each part', () => {
    const declined: OrderEvent = {
      type: 'PaymentDeclined',
      data: { orderId, reason: 'insufficient-funds', shards: [1, 3] },
    };
    spec
      .given(held)
      .when({ type: 'PaymentDeclined', data: { orderId, reason: 'insufficient-funds' } })
      .then([declined]);
    expect(sagaCommandsOf(declined)).toEqual([
      { kind: 'ReleaseReservation', reason: 'payment declined: insufficient-funds', route: { shard: 1, part: true } },
      { kind: 'ReleaseReservation', reason: 'payment declined: insufficient-funds', route: { shard: 3, part: true } },
    ]);
  });

  it('given both parts held, when one part’s hold expires, then the order is cancelled and the other part is released', () => {
    spec
      .given(held)
      .when({ type: 'ReservationExpired', data: { orderId, shard: 3 } })
      .then([
        { type: 'OrderCancelled', data: { orderId, customerId, reasons: ['reservation expired'], releaseShards: [1] } },
      ]);
  });

  it('given one part committed, when the other part’s commit is refused, then the payment is voided and the order cancelled, releasing nothing the committed part sold', () => {
    spec
      .given([...held, authorized, { type: 'ReservationPartCommitted', data: { orderId, shard: 1 } }])
      .when({ type: 'ReservationCommitRefused', data: { orderId, reason: 'reservation expired', shard: 3 } })
      .then([
        { type: 'PaymentVoidRequested', data: { orderId, reason: 'reservation commit refused: reservation expired' } },
        {
          type: 'OrderCancelled',
          data: { orderId, customerId, reasons: ['reservation commit refused: reservation expired'] },
        },
      ]);
  });

  it('given an order placed in one part on a sharded inventory, then its reservation is routed to that shard but names no part, and its steps run as before', () => {
    const onePart: OrderEvent = {
      type: 'OrderPlaced',
      data: { orderId, customerId, lines, total, placedAt: now, parts: [{ shard: 2, skus: ['LAMP', 'DESK'] }] },
    };
    expect(sagaCommandsOf(onePart)).toEqual([
      {
        kind: 'ReserveStock',
        lines: [
          { sku: 'LAMP', quantity: 2 },
          { sku: 'DESK', quantity: 1 },
        ],
        route: { shard: 2, part: false },
      },
    ]);
    spec
      .given([onePart])
      .when({ type: 'StockReserved', data: { orderId, expiresAt: '2026-03-01T10:15:00.000Z' } })
      .then([{ type: 'StockReserved', data: { orderId, expiresAt: '2026-03-01T10:15:00.000Z', amount: total } }]);
    expect(sagaCommandsOf({ type: 'PaymentAuthorized', data: { orderId, shards: [2] } })).toEqual([
      { kind: 'CommitReservation', route: { shard: 2, part: false } },
    ]);
  });

  describe('when the answer deadline passes with a part unanswered (its shard had no owner, or inventory was down)', () => {
    const timedOut = (waitedMs = 30_000): ReportedFact => ({
      type: 'ReservationAnswerTimedOut',
      data: { orderId, waitedMs },
    });

    it('given one part held and the other unanswered, then the order is rejected naming the lines held up, and both parts are released (the unanswered one by a tombstone)', () => {
      spec
        .given([placed, partReserved(1)])
        .when(timedOut())
        .then([
          {
            type: 'OrderRejected',
            data: {
              orderId,
              customerId,
              reasons: ['DESK: not decided, inventory shard 3 did not answer within 30 s'],
              releaseShards: [1, 3],
            },
          },
        ]);
      expect(
        sagaCommandsOf({ type: 'OrderRejected', data: { orderId, customerId, reasons: [], releaseShards: [1, 3] } }),
      ).toEqual([
        { kind: 'ReleaseReservation', reason: ANOTHER_PART_ENDED, route: { shard: 1, part: true } },
        { kind: 'ReleaseReservation', reason: ANOTHER_PART_ENDED, route: { shard: 3, part: true } },
      ]);
    });

    it('given one part refused and the other unanswered, then the rejection names the short line and the line held up, in line order, and only the unanswered part is released', () => {
      spec
        .given([placed, partRejected(1, LAMP_SHORT)])
        .when(timedOut(12_345))
        .then([
          {
            type: 'OrderRejected',
            data: {
              orderId,
              customerId,
              reasons: [LAMP_SHORT.reason, 'DESK: not decided, inventory shard 3 did not answer within 12.3 s'],
              releaseShards: [3],
            },
          },
        ]);
    });

    it('given every part answered (the order moved on), then the deadline changes nothing', () => {
      spec.given(held).when(timedOut()).then([]);
    });

    it('given an order in one part, then the deadline changes nothing: it waits for its shard as an unsharded order waits for inventory', () => {
      const onePart: OrderEvent = {
        type: 'OrderPlaced',
        data: { orderId, customerId, lines, total, placedAt: now, parts: [{ shard: 2, skus: ['LAMP', 'DESK'] }] },
      };
      spec.given([onePart]).when(timedOut()).then([]);
    });

    it('given the order was rejected by the deadline, when the late part is held after all, then nothing is recorded (its release is already on its way)', () => {
      spec
        .given([
          placed,
          partReserved(1),
          {
            type: 'OrderRejected',
            data: {
              orderId,
              customerId,
              reasons: ['DESK: not decided, inventory shard 3 did not answer within 30 s'],
              releaseShards: [1, 3],
            },
          },
        ])
        .when(reserved(3))
        .then([]);
    });
  });
});
