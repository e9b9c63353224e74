import { startTestSystem } from './testing/test-system';

jest.setTimeout(60_000);

/** Samples of one metric as `labels → value`, e.g. `{reason="payment_declined"}` → 1. */
function samplesOf(text: string, name: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (match) samples.set(match[1] ?? '', Number(match[2]));
  }
  return samples;
}

const sum = (samples: Map<string, number>) => [...samples.values()].reduce((total, value) => total + value, 0);

describe('operator metrics of the embedded system', () => {
  it('given a completed, a declined and a short checkout, when an operator scrapes /metrics, then sagas, compensations, backlogs and stock show what happened and nothing per SKU unless watched', async () => {
    const sut = await startTestSystem({ STOCKADE_METRICS_SKUS: 'MET-WATCHED' });
    try {
      await sut.client.receiveStock('MET-WATCHED', 5);
      await sut.client.receiveStock('MET-OTHER', 1);
      await sut.client.checkout({
        checkoutId: 'met-ok',
        customerId: 'c',
        paymentToken: 'tok-ok',
        lines: [{ sku: 'MET-WATCHED', quantity: 2, unitPrice: 10 }],
      });
      await sut.client.checkout({
        checkoutId: 'met-declined',
        customerId: 'c',
        paymentToken: 'decline:insufficient-funds',
        lines: [{ sku: 'MET-WATCHED', quantity: 1, unitPrice: 10 }],
      });
      await sut.client.checkout({
        checkoutId: 'met-short',
        customerId: 'c',
        paymentToken: 'tok-ok',
        lines: [{ sku: 'MET-OTHER', quantity: 3, unitPrice: 10 }],
      });
      const outcomes = await Promise.all(
        ['met-ok', 'met-declined', 'met-short'].map((orderId) => sut.client.waitForTerminal(orderId, 20_000, 20)),
      );
      expect(outcomes.map((order) => order.status)).toEqual(['COMPLETED', 'CANCELLED', 'REJECTED']);

      // Backlogs drain shortly after the outcomes: poll until the consumers committed and the relays caught up.
      let text = '';
      for (
        const deadline = Date.now() + 10_000;
        Date.now() < deadline;
        await new Promise((resolve) => setTimeout(resolve, 100))
      ) {
        text = await sut.client.metricsText();
        if (
          sum(samplesOf(text, 'stockade_consumer_lag_messages')) === 0 &&
          sum(samplesOf(text, 'stockade_outbox_relay_lag_events')) === 0 &&
          samplesOf(text, 'stockade_checkout_to_terminal_seconds_count').get('') === 3
        )
          break;
      }
      // Ordering's count of orders in flight, as the metrics read it: the three outcomes ended them,
      // each with its time from checkout to outcome.
      expect(samplesOf(text, 'stockade_orders_in_flight')).toEqual(new Map([['', 0]]));
      expect(samplesOf(text, 'stockade_checkout_to_terminal_seconds_count')).toEqual(new Map([['', 3]]));

      expect(samplesOf(text, 'stockade_saga_duration_seconds_count')).toEqual(
        new Map([
          ['{outcome="COMPLETED"}', 1],
          ['{outcome="CANCELLED"}', 1],
          ['{outcome="REJECTED"}', 1],
        ]),
      );
      expect(samplesOf(text, 'stockade_compensations_total')).toEqual(new Map([['{reason="payment_declined"}', 1]]));
      const lag = samplesOf(text, 'stockade_consumer_lag_messages');
      expect([...lag.keys()].some((labels) => labels.includes('topic="order.events"'))).toBe(true);
      // Handed over in memory (ADR 0031): never in the log, so no lag series; the relays' lag is their backlog.
      expect([...lag.keys()].some((labels) => labels.includes('topic="inventory.commands"'))).toBe(false);
      expect(sum(lag)).toBe(0);
      expect(samplesOf(text, 'stockade_outbox_relay_lag_events')).toEqual(
        new Map([
          ['{relay="orders-outbox"}', 0],
          ['{relay="inventory-outbox"}', 0],
        ]),
      );
      expect(samplesOf(text, 'stockade_stock_available')).toEqual(new Map([['{sku="MET-WATCHED"}', 3]]));
      expect(samplesOf(text, 'stockade_skus').get('{status="OUT_OF_STOCK"}')).toBeUndefined();
      expect(sum(samplesOf(text, 'stockade_skus'))).toBe(2);
    } finally {
      await sut.stop();
    }
  });
});
