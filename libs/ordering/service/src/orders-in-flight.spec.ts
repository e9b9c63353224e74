import { OrdersInFlight } from './orders-in-flight';

describe('orders in flight (what checkout admission limits)', () => {
  function setup(staleAfterMs = 60_000) {
    let now = 0;
    const inFlight = new OrdersInFlight({ now: () => now, staleAfterMs });
    return { inFlight, advance: (ms: number) => (now += ms) };
  }

  it('given two accepted orders, when one ends, then one is in flight and the ended one reports how long it took', () => {
    const { inFlight, advance } = setup();
    inFlight.accepted('a');
    inFlight.accepted('b');
    advance(250);

    expect(inFlight.ended('a')).toBe(250);
    expect(inFlight.count()).toBe(1);
  });

  it('given an outcome of an order not accepted here, when it ends, then nothing changes and no time is reported', () => {
    const { inFlight } = setup();
    inFlight.accepted('a');

    expect(inFlight.ended('elsewhere')).toBeUndefined();
    expect(inFlight.count()).toBe(1);
  });

  it('given a waiter listening, when an order ends or a stale one is dropped, then it is told each time, and not after unsubscribing', () => {
    const { inFlight, advance } = setup(1_000);
    let told = 0;
    const unsubscribe = inFlight.onFreed(() => told++);
    inFlight.accepted('a');
    inFlight.accepted('b');

    inFlight.ended('a');
    advance(2_000);
    expect(inFlight.count()).toBe(0);
    expect(told).toBe(2);

    unsubscribe();
    inFlight.accepted('c');
    inFlight.ended('c');
    expect(told).toBe(2);
  });

  it('given an order whose outcome never comes, when it is older than the stale limit, then it no longer counts', () => {
    const { inFlight, advance } = setup(1_000);
    inFlight.accepted('a');
    advance(999);
    expect(inFlight.count()).toBe(1);
    advance(2);
    expect(inFlight.count()).toBe(0);
  });
});
