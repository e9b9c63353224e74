import { ExpectedVersionConflict } from '../../errors';
import type { ExpectedVersion } from '../../event-store';
import type { ContractContext } from '../contract-fixtures';
import { rejectionOf, someEvents, uniqueStreamName } from '../contract-fixtures';

interface Case {
  readonly given: string;
  readonly existingEvents: number;
  readonly expectedVersion: ExpectedVersion;
}

const accepted: readonly Case[] = [
  { given: 'a stream whose last version is 1', existingEvents: 2, expectedVersion: 1 },
  { given: 'no stream', existingEvents: 0, expectedVersion: 'no_stream' },
  { given: 'a stream with events', existingEvents: 1, expectedVersion: 'stream_exists' },
  { given: 'no stream', existingEvents: 0, expectedVersion: 'any' },
  { given: 'a stream with events', existingEvents: 3, expectedVersion: 'any' },
];

const refused: readonly (Case & { readonly actual: number })[] = [
  { given: 'a stream whose last version is 2', existingEvents: 3, expectedVersion: 1, actual: 2 },
  { given: 'a stream whose last version is 0', existingEvents: 1, expectedVersion: 1, actual: 0 },
  { given: 'no stream', existingEvents: 0, expectedVersion: 0, actual: -1 },
  { given: 'a stream with events', existingEvents: 2, expectedVersion: 'no_stream', actual: 1 },
  { given: 'no stream', existingEvents: 0, expectedVersion: 'stream_exists', actual: -1 },
];

export function describeExpectedVersions({ store }: ContractContext): void {
  async function givenStream(existingEvents: number): Promise<string> {
    const stream = uniqueStreamName();
    if (existingEvents > 0)
      await store().appendToStream(stream, someEvents(existingEvents), { expectedVersion: 'no_stream' });
    return stream;
  }

  describe('expected versions', () => {
    it.each(accepted)(
      'given $given, when appending with expected version $expectedVersion, then the events are written',
      async ({ existingEvents, expectedVersion }) => {
        const stream = await givenStream(existingEvents);

        const result = await store().appendToStream(stream, someEvents(1), { expectedVersion });

        expect(result.nextExpectedVersion).toBe(existingEvents);
        expect(await store().readStream(stream)).toHaveLength(existingEvents + 1);
      },
    );

    it.each(refused)(
      'given $given, when appending with expected version $expectedVersion, then ExpectedVersionConflict names stream, expected and actual $actual, and nothing is written',
      async ({ existingEvents, expectedVersion, actual }) => {
        const stream = await givenStream(existingEvents);
        const headBefore = await store().headPosition();

        const error = await rejectionOf(store().appendToStream(stream, someEvents(2), { expectedVersion }));

        expect(error).toBeInstanceOf(ExpectedVersionConflict);
        expect(error).toMatchObject({ stream, expected: expectedVersion, actual, code: 'CONFLICT' });
        expect((error as ExpectedVersionConflict).retriable).toBe(true);
        expect(await store().streamVersion(stream)).toBe(actual);
        expect(await store().headPosition()).toBe(headBefore);
      },
    );

    it('given a stream whose last version is 1, when appending no events expecting version 0, then the expected version is still checked', async () => {
      const stream = await givenStream(2);

      const error = await rejectionOf(store().appendToStream(stream, [], { expectedVersion: 0 }));

      expect(error).toBeInstanceOf(ExpectedVersionConflict);
      expect(error).toMatchObject({ stream, expected: 0, actual: 1 });
    });
  });
}
