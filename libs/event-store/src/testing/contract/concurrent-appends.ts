import { ExpectedVersionConflict } from '../../errors';
import type { ExpectedVersion } from '../../event-store';
import type { ContractContext } from '../contract-fixtures';
import { anEvent, uniqueStreamName } from '../contract-fixtures';

const WRITERS = 50;

export function describeConcurrentAppends({ store }: ContractContext): void {
  async function raceWriters(
    stream: string,
    expectedVersion: ExpectedVersion,
  ): Promise<PromiseSettledResult<unknown>[]> {
    return Promise.allSettled(
      Array.from({ length: WRITERS }, () => store().appendToStream(stream, [anEvent()], { expectedVersion })),
    );
  }

  function expectOneWinner(outcomes: readonly PromiseSettledResult<unknown>[]): void {
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(refusals).toHaveLength(WRITERS - 1);
    refusals.forEach((reason) => expect(reason).toBeInstanceOf(ExpectedVersionConflict));
  }

  describe('concurrent appends', () => {
    it(`given no stream, when ${WRITERS} writers append at once expecting no stream, then exactly one succeeds and the stream has one event`, async () => {
      const stream = uniqueStreamName();

      expectOneWinner(await raceWriters(stream, 'no_stream'));

      expect(await store().readStream(stream)).toHaveLength(1);
    });

    it(`given a stream at version 0, when ${WRITERS} writers append at once expecting version 0, then exactly one succeeds and the others get a conflict`, async () => {
      const stream = uniqueStreamName();
      await store().appendToStream(stream, [anEvent()], { expectedVersion: 'no_stream' });

      expectOneWinner(await raceWriters(stream, 0));

      expect((await store().readStream(stream)).map((e) => e.version)).toEqual([0, 1]);
    });
  });
}
