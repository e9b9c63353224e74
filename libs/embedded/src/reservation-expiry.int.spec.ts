import { ManualClock } from '@stockade/kernel';
import { startTestSystem } from './testing/test-system';
import { eventually } from './testing/eventually';

describe('reservation expiry in the embedded system', () => {
  it('given a reservation waiting on a slow payment, when the clock passes its TTL, then the units are released and the order is cancelled as expired', async () => {
    const clock = new ManualClock('2026-06-01T12:00:00.000Z');
    const sut = await startTestSystem(
      {
        STOCKADE_RESERVATION_TTL_MS: '60000',
        STOCKADE_EXPIRY_CHECK_INTERVAL_MS: '20',
        STOCKADE_PAYMENT_TIMEOUT_MS: '5000',
        STOCKADE_PAYMENT_SIMULATOR_SLOW_TOKENS: 'true',
      },
      { clock },
    );
    try {
      await sut.client.receiveStock('EXP-LAMP', 3);
      await sut.client.checkout({
        checkoutId: 'exp-1',
        customerId: 'erin',
        paymentToken: 'delay:1200',
        lines: [{ sku: 'EXP-LAMP', quantity: 2, unitPrice: 40 }],
      });
      await eventually(
        () => sut.client.stock('EXP-LAMP'),
        (stock) => stock.reserved === 2,
        'the reservation',
      );

      clock.advance(59_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await sut.client.stock('EXP-LAMP')).toMatchObject({ reserved: 2, available: 1 });

      clock.advance(2_000);
      const order = await sut.client.waitForTerminal('exp-1', 10_000, 20);

      expect(order).toMatchObject({ status: 'CANCELLED', reasons: ['reservation expired'] });
      expect(await sut.client.stock('EXP-LAMP')).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
      const metrics = await sut.client.metricsText();
      expect(metrics).toContain('stockade_reservations_expired_total 1');
      expect(metrics).toContain('stockade_compensations_total{reason="reservation_expired"} 1');
      // The payment approves late (after 1.2 s); the order stays cancelled and keeps its stock released.
      await new Promise((resolve) => setTimeout(resolve, 1_400));
      expect(await sut.client.order('exp-1')).toMatchObject({ status: 'CANCELLED' });
      expect(await sut.client.stock('EXP-LAMP')).toMatchObject({ onHand: 3, reserved: 0 });
    } finally {
      await sut.stop();
    }
  });
});
