import type { EventStore } from '../event-store';
import { describeAppendingAndReading } from './contract/appending-and-reading';
import { describeCheckpoints } from './contract/checkpoints';
import { describeConcurrentAppends } from './contract/concurrent-appends';
import { describeDataRoundTrip } from './contract/data-round-trip';
import { describeExpectedVersions } from './contract/expected-versions';
import { describeFences } from './contract/fences';
import { describeGlobalLog } from './contract/global-log';
import { describeMultiStreamAppends } from './contract/multi-stream-appends';
import { describeNotifications } from './contract/notifications';
import type { ContractContext } from './contract-fixtures';

/**
 * The one statement of what an EventStore does. Every adapter's spec calls it, in full:
 * callers may rely on exactly what is asserted here and nothing else, so an adapter that
 * needs an exception must change this suite (and so every adapter), not skip a part of it.
 *
 * `openStore` is called before each test and `closeStore` (default: `store.close()`) after
 * it. The store need not be empty (streams are random, positions are compared with the head
 * read first), but nothing else may write to it while a test runs: give each spec file its
 * own database when the adapter's tests share a server.
 */
export function describeEventStoreContract(
  adapterName: string,
  openStore: () => Promise<EventStore>,
  closeStore: (store: EventStore) => Promise<void> = (store) => store.close(),
): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let current: EventStore | undefined;

    beforeEach(async () => {
      current = await openStore();
    });

    afterEach(async () => {
      if (current) await closeStore(current);
      current = undefined;
    });

    const context: ContractContext = {
      store: () => {
        if (!current) throw new Error('the store is only open inside a test');
        return current;
      },
    };

    describeAppendingAndReading(context);
    describeExpectedVersions(context);
    describeMultiStreamAppends(context);
    describeGlobalLog(context);
    describeCheckpoints(context);
    describeNotifications(context);
    describeDataRoundTrip(context);
    describeConcurrentAppends(context);
    describeFences(context);
  });
}
