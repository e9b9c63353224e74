import type { IncomingMessage, OutgoingMessage } from '../../message-bus';
import type { ContractContext } from '../contract-fixtures';
import { CONTRACT_TEST_TIMEOUT_MS, randomSmallAwait, uniqueGroup, uniqueTopic, waitUntil } from '../contract-fixtures';

const KEYS = 20;
const MESSAGES_PER_KEY = 25;
const PUBLISH_CALLS = 5;

export function describeConcurrency({ bus, subscribe }: ContractContext): void {
  describe('ordering and concurrency', () => {
    it(
      'given many keys published interleaved, when a concurrent handler awaits randomly, then each key is handled one at a time in publish order',
      async () => {
        const topic = uniqueTopic();
        const handledByKey = new Map<string, number[]>();
        const inFlightByKey = new Map<string, number>();
        let overlapsOfOneKey = 0;
        let handled = 0;
        await subscribe({
          groupId: uniqueGroup(),
          topics: [topic],
          concurrency: 16,
          handler: async (message: IncomingMessage) => {
            const inFlight = (inFlightByKey.get(message.key) ?? 0) + 1;
            inFlightByKey.set(message.key, inFlight);
            if (inFlight > 1) overlapsOfOneKey++;
            await randomSmallAwait();
            handledByKey.set(message.key, [
              ...(handledByKey.get(message.key) ?? []),
              (JSON.parse(message.value) as { n: number }).n,
            ]);
            inFlightByKey.set(message.key, inFlight - 1);
            handled++;
          },
        });

        for (let call = 0; call < PUBLISH_CALLS; call++) await bus().publish(topic, interleavedBatch(call));

        await waitUntil(() => handled === KEYS * MESSAGES_PER_KEY, 'every message was handled');
        expect(overlapsOfOneKey).toBe(0);
        const inOrder = Array.from({ length: MESSAGES_PER_KEY }, (_, n) => n);
        for (let key = 0; key < KEYS; key++) expect(handledByKey.get(`key-${key}`)).toEqual(inOrder);
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );

    it(
      'given messages with different keys, when the handler is slow, then several are handled at the same time',
      async () => {
        const topic = uniqueTopic();
        let inFlight = 0;
        let mostInFlight = 0;
        let handled = 0;
        await subscribe({
          groupId: uniqueGroup(),
          topics: [topic],
          concurrency: 8,
          handler: async () => {
            inFlight++;
            mostInFlight = Math.max(mostInFlight, inFlight);
            // Hold on until another handler overlaps (or give up, and let the assertion fail).
            await waitUntil(() => mostInFlight >= 2, 'another handler overlapped', 3_000).catch(() => undefined);
            inFlight--;
            handled++;
          },
        });

        await bus().publish(
          topic,
          Array.from({ length: 8 }, (_, index) => ({ key: `distinct-${index}`, value: index })),
        );

        await waitUntil(() => handled === 8, 'every message was handled');
        expect(mostInFlight).toBeGreaterThanOrEqual(2);
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );
  });
}

/** Publish call `call` carries its share of every key's messages, keys interleaved. */
function interleavedBatch(call: number): OutgoingMessage[] {
  const perCall = MESSAGES_PER_KEY / PUBLISH_CALLS;
  const batch: OutgoingMessage[] = [];
  for (let n = call * perCall; n < (call + 1) * perCall; n++) {
    for (let key = 0; key < KEYS; key++) batch.push({ key: `key-${key}`, value: { n } });
  }
  return batch;
}
