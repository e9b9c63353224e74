import { join } from 'node:path';
import { SqliteEventStore } from '@stockade/event-store/sqlite';

/**
 * Every (onHand, reserved) pair a SKU's stream ever recorded, read straight from the inventory
 * event store on disk: proof that availability never went below zero at any point, not only at the end.
 */
export async function stockHistory(
  dataDir: string,
  sku: string,
): Promise<{ onHand: number; reserved: number; type: string }[]> {
  const store = SqliteEventStore.open(join(dataDir, 'inventory.db'));
  try {
    const events = await store.readStream(`stock-${sku}`);
    return events.map((event) => {
      const data = event.data as { onHand: number; reserved: number };
      return { onHand: data.onHand, reserved: data.reserved, type: event.type };
    });
  } finally {
    await store.close();
  }
}
