import type { ContractContext } from '../contract-fixtures';
import { uniqueStreamName } from '../contract-fixtures';

export function describeCheckpoints({ store }: ContractContext): void {
  describe('checkpoints', () => {
    it('given a checkpoint never saved, when reading it, then it is undefined', async () => {
      expect(await store().readCheckpoint(uniqueStreamName('checkpoint'))).toBeUndefined();
    });

    it('when a checkpoint is saved, then reading it returns the position', async () => {
      const name = uniqueStreamName('checkpoint');

      await store().saveCheckpoint(name, 42);

      expect(await store().readCheckpoint(name)).toBe(42);
    });

    it('given a saved checkpoint, when it is saved again, then the new position replaces the old one', async () => {
      const name = uniqueStreamName('checkpoint');
      await store().saveCheckpoint(name, 42);

      await store().saveCheckpoint(name, 7);

      expect(await store().readCheckpoint(name)).toBe(7);
    });

    it('given two checkpoints, when one is saved, then the other keeps its position', async () => {
      const [relay, projection] = [uniqueStreamName('relay'), uniqueStreamName('projection')];
      await store().saveCheckpoint(relay, 1);
      await store().saveCheckpoint(projection, 2);

      await store().saveCheckpoint(relay, 10);

      expect([await store().readCheckpoint(relay), await store().readCheckpoint(projection)]).toEqual([10, 2]);
    });
  });
}
