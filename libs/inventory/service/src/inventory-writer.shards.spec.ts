import { InMemoryEventStore } from '@stockade/event-store';
import { SqliteEventStore } from '@stockade/event-store/sqlite';
import { ValidationError } from '@stockade/kernel';
import { createInventoryService } from './create-inventory-service';
import { describeShardedWriter, FencedStore } from './testing/sharded-writer-scenarios';

describeShardedWriter('memory', async () => new InMemoryEventStore() as FencedStore);

describe('InventoryWriter with shards on a store without fences', () => {
  it('given shards above 1 on a store without fences (SQLite), when the service is wired, then it refuses to start naming the setting', async () => {
    const store = await SqliteEventStore.open(':memory:');
    try {
      expect(() => createInventoryService({ store, shards: 2 })).toThrow(ValidationError);
      expect(() => createInventoryService({ store, shards: 2 })).toThrow(
        /STOCKADE_INVENTORY_SHARDS: 2 shards need an event store with fences/,
      );
    } finally {
      await store.close();
    }
  });
});
