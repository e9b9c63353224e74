import type { OrderEvent } from './order-events';
import { sagaCommandsOf } from './saga-commands';
import { cancelled, events, total, voidRequested } from './testing/order-scenarios';

describe('the commands a stored order event implies', () => {
  it.each<[string, OrderEvent, unknown[]]>([
    [
      'an order placed asks inventory for its lines',
      events.placed,
      [
        {
          kind: 'ReserveStock',
          lines: [
            { sku: 'LAMP', quantity: 2 },
            { sku: 'DESK', quantity: 1 },
          ],
        },
      ],
    ],
    [
      'stock reserved asks payments for the total',
      events.stockReserved,
      [{ kind: 'AuthorizePayment', amount: total, paymentRef: 'ref-ok' }],
    ],
    ['a payment authorized asks inventory to commit', events.paymentAuthorized, [{ kind: 'CommitReservation' }]],
    [
      'a payment declined asks for the release, with why',
      events.paymentDeclined,
      [{ kind: 'ReleaseReservation', reason: 'payment declined: insufficient-funds' }],
    ],
    [
      'a payment timed out asks for the release and a void of any late approval',
      events.paymentTimedOut,
      [
        { kind: 'ReleaseReservation', reason: 'payment timed out' },
        { kind: 'VoidPayment', reason: 'payment timed out' },
      ],
    ],
    [
      'a customer cancel asks for the release',
      events.customerCancelled,
      [{ kind: 'ReleaseReservation', reason: 'cancelled by customer' }],
    ],
    [
      'a void requested asks payments to void',
      voidRequested('order being cancelled'),
      [{ kind: 'VoidPayment', reason: 'order being cancelled' }],
    ],
    ['a completed order asks nothing more', events.completed, []],
    ['a rejected order asks nothing more', events.rejected, []],
    ['a cancelled order asks nothing more', cancelled('payment timed out'), []],
  ])('%s', (_name, event, expected) => {
    expect(sagaCommandsOf(event)).toEqual(expected);
  });

  it('given an order placed without a payment token, then the payment request has none either', () => {
    const { paymentRef: _none, ...withoutToken } = events.stockReserved.data;
    expect(sagaCommandsOf({ type: 'StockReserved', data: withoutToken })).toEqual([
      { kind: 'AuthorizePayment', amount: total },
    ]);
  });
  it('given a reservation stored with its payment decided inline (ADR 0033), then it asks for no payment: the decision stored after it sends the commit or the release', () => {
    expect(
      sagaCommandsOf({ ...events.stockReserved, data: { ...events.stockReserved.data, paymentDecided: true } }),
    ).toEqual([]);
  });
});
