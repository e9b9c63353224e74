import { describeEventStoreContract, describeSnapshotStoreContract } from '../testing';
import { InMemoryEventStore } from './in-memory-event-store';

describeEventStoreContract('in memory', async () => new InMemoryEventStore());
describeSnapshotStoreContract('in memory', async () => new InMemoryEventStore());

describe('InMemoryEventStore', () => {
  it('given a clock, when events are appended, then they are recorded at its time', async () => {
    const store = new InMemoryEventStore(() => new Date('2026-05-01T10:00:00.000Z'));

    await store.appendToStream(
      'stream-1',
      [{ id: 'e1', type: 'T', data: {}, metadata: { correlationId: 'c', causationId: 'c', occurredAt: 'x' } }],
      {
        expectedVersion: 'no_stream',
      },
    );

    expect((await store.readStream('stream-1'))[0]?.recordedAt).toBe('2026-05-01T10:00:00.000Z');
  });
});
