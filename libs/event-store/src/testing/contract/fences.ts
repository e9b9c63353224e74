import { ValidationError } from '@stockade/kernel';
import { FenceLost } from '../../errors';
import type { EventStore } from '../../event-store';
import type { ContractContext } from '../contract-fixtures';
import { anEvent, rejectionOf, uniqueStreamName } from '../contract-fixtures';

type FencedStore = EventStore & { takeFence(name: string): Promise<number> };

/**
 * Fences (ADR 0020): adapters that have them (PostgreSQL, memory) keep a deposed holder from
 * writing; those that do not (SQLite, KurrentDB) refuse a fenced append rather than ignore it.
 */
export function describeFences({ store }: ContractContext): void {
  describe('fences', () => {
    const fenced = (): FencedStore | undefined => (store().takeFence ? (store() as FencedStore) : undefined);

    it('given an adapter without fences, when an append carries one, then it is refused naming the field and nothing is written; with fences, taking one gives epochs 1, 2, 3', async () => {
      const stream = uniqueStreamName('fenced');
      const name = uniqueStreamName('shard');
      const adapter = fenced();
      if (!adapter) {
        const refusal = await rejectionOf(
          store().appendToStreams([{ stream, expectedVersion: 'any', events: [anEvent()] }], {
            fences: [{ name, epoch: 1 }],
          }),
        );
        expect(refusal).toBeInstanceOf(ValidationError);
        expect((refusal as ValidationError).issues.map((issue) => issue.field)).toEqual(['fences']);
        expect(await store().streamVersion(stream)).toBe(-1);
        return;
      }
      expect([await adapter.takeFence(name), await adapter.takeFence(name), await adapter.takeFence(name)]).toEqual([
        1, 2, 3,
      ]);
    });

    it('given a fence taken at epoch 1, when its holder appends with epoch 1, then the append is stored', async () => {
      const adapter = fenced();
      if (!adapter) return;
      const [stream, name] = [uniqueStreamName('fenced'), uniqueStreamName('shard')];
      const epoch = await adapter.takeFence(name);

      await adapter.appendToStreams([{ stream, expectedVersion: 'no_stream', events: [anEvent()] }], {
        fences: [{ name, epoch }],
      });

      expect(await adapter.streamVersion(stream)).toBe(0);
    });

    it('given a fence another holder took since (epoch 2), when the deposed holder appends with epoch 1, then FenceLost names both epochs and nothing of the append is stored, on any stream', async () => {
      const adapter = fenced();
      if (!adapter) return;
      const [first, second, name] = [uniqueStreamName('fenced'), uniqueStreamName('fenced'), uniqueStreamName('shard')];
      const deposed = await adapter.takeFence(name);
      await adapter.takeFence(name);

      const refusal = await rejectionOf(
        adapter.appendToStreams(
          [
            { stream: first, expectedVersion: 'any', events: [anEvent()] },
            { stream: second, expectedVersion: 'any', events: [anEvent()] },
          ],
          { fences: [{ name, epoch: deposed }] },
        ),
      );

      expect(refusal).toBeInstanceOf(FenceLost);
      expect(refusal).toMatchObject({ fence: name, heldEpoch: 1, currentEpoch: 2 });
      expect([await adapter.streamVersion(first), await adapter.streamVersion(second)]).toEqual([-1, -1]);
    });

    it('given a fence nobody took, when an append claims it, then it is refused', async () => {
      const adapter = fenced();
      if (!adapter) return;
      const refusal = await rejectionOf(
        adapter.appendToStreams([{ stream: uniqueStreamName('fenced'), expectedVersion: 'any', events: [anEvent()] }], {
          fences: [{ name: uniqueStreamName('shard'), epoch: 1 }],
        }),
      );
      expect(refusal).toMatchObject({ currentEpoch: 0, heldEpoch: 1 });
    });

    it('given fenced appends racing with takes of their fence, then every append is either stored whole under the epoch it held or refused with nothing stored', async () => {
      const adapter = fenced();
      if (!adapter) return;
      const name = uniqueStreamName('shard');
      let epoch = await adapter.takeFence(name);
      for (let round = 0; round < 20; round++) {
        const stream = uniqueStreamName('fenced');
        const [append, taken] = await Promise.allSettled([
          adapter.appendToStreams([{ stream, expectedVersion: 'no_stream', events: [anEvent(), anEvent()] }], {
            fences: [{ name, epoch }],
          }),
          adapter.takeFence(name),
        ]);
        expect(taken.status).toBe('fulfilled');
        const version = await adapter.streamVersion(stream);
        if (append.status === 'fulfilled') expect(version).toBe(1);
        else expect([append.reason instanceof FenceLost, version]).toEqual([true, -1]);
        epoch = (taken as PromiseFulfilledResult<number>).value;
      }
    });
  });
}
