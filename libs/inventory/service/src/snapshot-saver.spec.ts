import { InMemorySnapshotStore, Snapshot } from '@stockade/event-store';
import { SnapshotSaver } from './snapshot-saver';

const snapshot = (stream: string, version: number): Snapshot => ({
  stream,
  version,
  eventId: `e-${version}`,
  schemaVersion: 1,
  state: { version },
});

describe('SnapshotSaver', () => {
  it('given snapshots pushed in one turn, when saved, then one save stores them, each stream with its newest only', async () => {
    const store = new InMemorySnapshotStore();
    const save = jest.spyOn(store, 'save');
    const saver = new SnapshotSaver(store);

    saver.push(snapshot('a', 99));
    saver.push(snapshot('b', 99));
    saver.push(snapshot('a', 199));
    await saver.whenIdle();

    expect(save.mock.calls).toEqual([[[snapshot('b', 99), snapshot('a', 199)]]]);
    expect(await store.load('a')).toEqual(snapshot('a', 199));
  });

  it('given a save in flight, when more are pushed, then they are saved after it, in order, so a stream never goes back', async () => {
    const store = new InMemorySnapshotStore();
    const saved: number[][] = [];
    const realSave = store.save.bind(store);
    jest.spyOn(store, 'save').mockImplementation(async (batch) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      saved.push(batch.map((s) => s.version));
      return realSave(batch);
    });
    const saver = new SnapshotSaver(store);

    saver.push(snapshot('a', 99));
    await Promise.resolve();
    await Promise.resolve();
    saver.push(snapshot('a', 199));
    saver.push(snapshot('a', 299));
    await saver.whenIdle();

    expect(saved).toEqual([[99], [299]]);
    expect((await store.load('a'))?.version).toBe(299);
  });

  it('given a save that fails, then the failure is reported with its streams, and later snapshots are still saved', async () => {
    const store = new InMemorySnapshotStore();
    const failure = new Error('disk full');
    jest.spyOn(store, 'save').mockRejectedValueOnce(failure);
    const reported: unknown[] = [];
    const saver = new SnapshotSaver(store, (error, streams) => reported.push([error, streams]));

    saver.push(snapshot('a', 99));
    await saver.whenIdle();
    saver.push(snapshot('b', 99));
    await saver.whenIdle();

    expect(reported).toEqual([[failure, ['a']]]);
    expect(await store.load('a')).toBeUndefined();
    expect(await store.load('b')).toEqual(snapshot('b', 99));
  });

  it('given nothing pushed, then it is idle at once', async () => {
    await expect(new SnapshotSaver(new InMemorySnapshotStore()).whenIdle()).resolves.toBeUndefined();
  });
});
