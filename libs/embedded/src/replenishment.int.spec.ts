import { startTestSystem } from './testing/test-system';
import { eventually } from './testing/eventually';

describe('low-stock alerts and automatic reorder in the embedded system', () => {
  it('given a SKU with a threshold and a reorder policy, when a flash sale drains it, then the alert and one purchase order appear, and the simulated supplier delivery clears both', async () => {
    const sut = await startTestSystem({ STOCKADE_SUPPLIER_DELAY_MS: '400', STOCKADE_SUPPLIER_PARTIAL_RATE: '0' });
    try {
      await sut.client.receiveStock('RE-LAMP', 10);
      await sut.client.configureStock('RE-LAMP', {
        lowStockThreshold: 3,
        alertHysteresis: 2,
        reorderPoint: 3,
        reorderQuantity: 25,
        supplierId: 'ACME',
      });
      expect(await sut.client.replenishment()).toEqual({
        items: [expect.objectContaining({ sku: 'RE-LAMP', lowStockAlert: false, openPurchaseOrder: null })],
      });

      // Eight buyers at once take one each: available goes 10 -> 2, crossing the line once.
      const buyers = Array.from({ length: 8 }, (_, index) => `re-${index}`);
      await Promise.all(
        buyers.map((checkoutId) =>
          sut.client.checkout({
            checkoutId,
            customerId: checkoutId,
            lines: [{ sku: 'RE-LAMP', quantity: 1, unitPrice: 10 }],
          }),
        ),
      );
      const alerted = await eventually(
        () => sut.client.replenishment(),
        ({ items }) => items[0]?.lowStockAlert === true,
        'the low-stock alert',
        15_000,
      );
      expect(alerted.items[0]?.openPurchaseOrder).toEqual({ purchaseOrderId: 'PO-RE-LAMP-0001', quantity: 25 });

      const restocked = await eventually(
        () => sut.client.replenishment(),
        ({ items }) => items[0]?.openPurchaseOrder === null,
        'the delivery',
        15_000,
      );
      expect(restocked.items[0]).toMatchObject({ lowStockAlert: false, openPurchaseOrder: null });
      await Promise.all(buyers.map((orderId) => sut.client.waitForTerminal(orderId, 15_000)));
      expect(await sut.client.stock('RE-LAMP')).toMatchObject({ onHand: 27, reserved: 0 });

      // The delivery again (a purchasing system retrying) changes nothing.
      expect(await sut.client.receiveStock('RE-LAMP', 25, 'PO-RE-LAMP-0001')).toMatchObject({ onHand: 27 });
      await expect(sut.client.receiveStock('RE-LAMP', 25, 'PO-RE-LAMP-0009')).rejects.toThrow(/404/);
    } finally {
      await sut.stop();
    }
  }, 30_000);

  it('given invalid settings, then the answer is a 400 naming the field', async () => {
    const sut = await startTestSystem();
    try {
      await sut.client.receiveStock('RE-DESK', 5);
      await expect(
        sut.client.configureStock('RE-DESK', { lowStockThreshold: -1, reorderPoint: null, reorderQuantity: null }),
      ).rejects.toThrow(/lowStockThreshold/);
      await expect(
        sut.client.configureStock('RE-DESK', { lowStockThreshold: 2, reorderPoint: 3, reorderQuantity: null }),
      ).rejects.toThrow(/reorderQuantity/);
    } finally {
      await sut.stop();
    }
  });
});
