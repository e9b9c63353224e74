import type { ContractContext } from '../contract-fixtures';
import { rejectionOf, someEvents, uniqueStreamName } from '../contract-fixtures';

export function describeNotifications({ store }: ContractContext): void {
  describe('append notifications', () => {
    it('given a listener, when events are appended, then it has been called by the time the append resolves', async () => {
      const listener = jest.fn();
      const unsubscribe = store().onAppended(listener);

      await store().appendToStream(uniqueStreamName(), someEvents(2), { expectedVersion: 'no_stream' });

      expect(listener).toHaveBeenCalled();
      unsubscribe();
    });

    it('given a listener that unsubscribed, when events are appended, then it is not called', async () => {
      const listener = jest.fn();
      const stayingListener = jest.fn();
      store().onAppended(stayingListener);
      const unsubscribe = store().onAppended(listener);

      unsubscribe();
      await store().appendToStream(uniqueStreamName(), someEvents(1), { expectedVersion: 'no_stream' });

      expect(listener).not.toHaveBeenCalled();
      expect(stayingListener).toHaveBeenCalled();
    });

    it('given a listener, when an append is refused, then it is not called', async () => {
      const stream = uniqueStreamName();
      await store().appendToStream(stream, someEvents(1), { expectedVersion: 'no_stream' });
      const listener = jest.fn();
      store().onAppended(listener);

      await rejectionOf(store().appendToStream(stream, someEvents(1), { expectedVersion: 'no_stream' }));

      expect(listener).not.toHaveBeenCalled();
    });
  });
}
