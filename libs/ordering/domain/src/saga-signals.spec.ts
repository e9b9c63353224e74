import { orderDecider } from './order-decider';
import type { OrderEvent } from './order-events';
import type { OrderInput } from './order-inputs';
import { sagaSignalsOf } from './saga-signals';
import { cancelOrder, history, now, placeOrder, reported } from './testing/order-scenarios';

const tenSecondsAfterPlacing = new Date(Date.parse(now) + 10_000);

/** Decides `input` on the stream `given` and reads the signals of what the decider stored. */
function signalsWhen(given: readonly OrderEvent[], input: OrderInput) {
  const before = given.reduce(orderDecider.evolve, orderDecider.initialState());
  return sagaSignalsOf(before, orderDecider.decide(input, before), tenSecondsAfterPlacing);
}

describe('saga signals (what metrics count)', () => {
  it('given no order, when it is placed, then nothing ended and nothing is compensated', () => {
    expect(signalsWhen([], placeOrder)).toEqual({});
  });

  it('given an order awaiting payment, when the payment is declined, then a compensation starts for that reason and the saga has not ended', () => {
    expect(signalsWhen(history.AWAITING_PAYMENT, reported.paymentDeclined)).toEqual({
      compensation: 'payment_declined',
    });
  });

  it('given an order awaiting payment, when the payment times out, then the compensation is a payment timeout', () => {
    expect(signalsWhen(history.AWAITING_PAYMENT, reported.paymentTimedOut)).toEqual({
      compensation: 'payment_timeout',
    });
  });

  it('given an order already releasing, when a late timeout arrives, then no second compensation is counted', () => {
    expect(signalsWhen(history.RELEASING, reported.paymentTimedOut).compensation).toBeUndefined();
  });

  it('given a placed order, when the customer cancels, then the compensation is the customer cancelling', () => {
    expect(signalsWhen(history.PLACED, cancelOrder)).toEqual({ compensation: 'customer_cancelled' });
  });

  it('given an order awaiting payment, when inventory expires its hold, then the saga ends cancelled with the expiry as compensation and its duration since placing', () => {
    expect(signalsWhen(history.AWAITING_PAYMENT, reported.expired)).toEqual({
      compensation: 'reservation_expired',
      ended: { outcome: 'CANCELLED', durationMs: 10_000 },
    });
  });

  it('given an order committing, when inventory refuses the commit, then the compensation is the refused commit', () => {
    expect(signalsWhen(history.COMMITTING, reported.commitRefused)).toEqual({
      compensation: 'commit_refused',
      ended: { outcome: 'CANCELLED', durationMs: 10_000 },
    });
  });

  it('given an order committing, when the commit is confirmed, then the saga ends completed with no compensation', () => {
    expect(signalsWhen(history.COMMITTING, reported.committed)).toEqual({
      ended: { outcome: 'COMPLETED', durationMs: 10_000 },
    });
  });

  it('given a placed order, when stock is short, then the saga ends rejected (nothing was held, so nothing is compensated)', () => {
    expect(signalsWhen(history.PLACED, reported.stockRejected)).toEqual({
      ended: { outcome: 'REJECTED', durationMs: 10_000 },
    });
  });

  it('given an order releasing, when the release is confirmed, then the saga ends cancelled and the compensation is not counted again', () => {
    expect(signalsWhen(history.RELEASING, reported.released)).toEqual({
      ended: { outcome: 'CANCELLED', durationMs: 10_000 },
    });
  });
});
