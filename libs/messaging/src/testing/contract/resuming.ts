import type { ContractContext } from '../contract-fixtures';
import {
  CONTRACT_TEST_TIMEOUT_MS,
  recordingHandler,
  uniqueGroup,
  uniqueTopic,
  valueOf,
  waitUntil,
} from '../contract-fixtures';

export function describeResuming({ bus, subscribe }: ContractContext): void {
  describe('resuming a group (at-least-once)', () => {
    it(
      'given a group that handled messages and closed, when it subscribes again, then it receives only what was published since',
      async () => {
        const topic = uniqueTopic();
        const groupId = uniqueGroup();
        const before = recordingHandler();
        const first = await subscribe({ groupId, topics: [topic], handler: before.handler });
        await bus().publish(
          topic,
          Array.from({ length: 20 }, (_, n) => ({ key: `key-${n % 5}`, value: `before-${n}` })),
        );
        await waitUntil(() => before.received.length === 20, 'the first subscription handled all 20');
        await first.close();

        await bus().publish(
          topic,
          Array.from({ length: 20 }, (_, n) => ({ key: `key-${n % 5}`, value: `after-${n}` })),
        );
        const after = recordingHandler();
        await subscribe({ groupId, topics: [topic], handler: after.handler });

        await waitUntil(() => after.received.length >= 20, 'the second subscription handled the 20 new messages');
        expect(after.received.map(valueOf).sort()).toEqual(Array.from({ length: 20 }, (_, n) => `after-${n}`).sort());
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );

    it(
      'given a handler still running, when the subscription closes, then close waits for it and the next subscription of the group gets exactly the rest',
      async () => {
        const topic = uniqueTopic();
        const groupId = uniqueGroup();
        const handledByFirst: number[] = [];
        let slowOneStarted = false;
        const first = await subscribe({
          groupId,
          topics: [topic],
          handler: async (message) => {
            const n = valueOf(message) as number;
            if (n === 3) {
              slowOneStarted = true;
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
            handledByFirst.push(n);
          },
        });
        // One key: handled strictly one after another, so close() interrupts the sequence at message 3.
        await bus().publish(
          topic,
          Array.from({ length: 10 }, (_, n) => ({ key: 'one-key', value: n })),
        );
        await waitUntil(() => slowOneStarted, 'the slow handler started');

        await first.close();

        expect(handledByFirst).toContain(3);
        const second = recordingHandler();
        await subscribe({ groupId, topics: [topic], handler: second.handler });
        const rest = Array.from({ length: 10 }, (_, n) => n).filter((n) => !handledByFirst.includes(n));
        await waitUntil(() => second.received.length >= rest.length, 'the second subscription handled the rest');
        expect(second.received.map(valueOf)).toEqual(rest);
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );
  });
}
