import { InMemoryEventStore, RecordedEvent } from '@stockade/event-store';
import { ManualClock } from '@stockade/kernel';
import type { DeadLetterMessage, MessageBus } from '@stockade/messaging';
import { createDeadLetterOperations } from './dead-letters';
import { describeEvent } from './describe-event';
import { orderStory } from './order-story';

const TOKEN = 'tok_4242424242424242_legacy';
const metadata = { correlationId: 'chk-1', causationId: 'chk-1', occurredAt: '2026-12-02T10:00:00.000Z' };
const lines = [{ sku: 'LAMP', quantity: 1, unitPrice: 10 }];

/** An OrderPlaced written before ADR 0021: the shopper's token itself is in the store. */
const legacyPlaced = {
  type: 'OrderPlaced.v2',
  data: {
    orderId: 'chk-1',
    customerId: 'web:ann',
    lines,
    paymentToken: TOKEN,
    total: 10,
    placedAt: metadata.occurredAt,
  },
};

describe('operator views never show payment tokens or references (ADR 0021)', () => {
  it('given a stored event holding a raw payment token, when an operator reads it, then the token and any reference are [redacted], in the data and in the words', () => {
    const recorded: RecordedEvent = {
      id: 'e1',
      stream: 'order-chk-1',
      ...legacyPlaced,
      metadata,
      version: 0,
      position: 1,
      recordedAt: metadata.occurredAt,
    };
    const described = describeEvent(recorded, 'orders');
    expect(described.data).toMatchObject({ paymentToken: '[redacted]', customerId: 'web:ann' });
    expect(JSON.stringify(described)).not.toContain(TOKEN);

    const unknownType = describeEvent(
      { ...recorded, type: 'OrderAudited.v9', data: { nested: [{ paymentRef: 'sim:approve:abc' }] } },
      'orders',
    );
    expect(unknownType.data).toEqual({ nested: [{ paymentRef: '[redacted]' }] });
    expect(unknownType.summary).not.toContain('sim:approve:abc');
  });

  it('given an order whose stream holds a raw payment token, when its story is told, then no event of it shows the token', async () => {
    const orders = new InMemoryEventStore();
    await orders.appendToStream('order-chk-1', [{ id: 'e1', ...legacyPlaced, metadata }], {
      expectedVersion: 'no_stream',
    });
    const story = await orderStory({ orders, inventory: new InMemoryEventStore() }, 'chk-1', 10_000);
    expect(story?.events).toHaveLength(1);
    expect(JSON.stringify(story)).not.toContain(TOKEN);
  });

  describe('dead letters', () => {
    const letter: DeadLetterMessage = {
      topic: 'checkout.requested.dlq',
      partition: 0,
      offset: '0',
      key: 'chk-1',
      value: JSON.stringify({ checkoutId: 'chk-1', customerId: 'web:ann', lines, paymentToken: TOKEN }),
      headers: { 'x-original-topic': 'checkout.requested' },
      attempt: 1,
    };
    const read: string[] = [];
    const operations = createDeadLetterOperations({
      source: {
        deadLetterTopics: async () => ['checkout.requested.dlq'],
        readDeadLetters: async (topic) => (
          read.push(topic),
          topic === letter.topic ? [letter] : [{ ...letter, topic }]
        ),
      },
      bus: {} as MessageBus,
      records: new InMemoryEventStore(),
      clock: new ManualClock(),
    });

    it('given a dead letter holding a payment token, when an operator opens it, then the token is [redacted] in its text and its base64', async () => {
      const shown = await operations.deadLetter('checkout.requested.dlq:0:0');
      expect(JSON.parse(shown?.valueText ?? '{}')).toMatchObject({ checkoutId: 'chk-1', paymentToken: '[redacted]' });
      expect(Buffer.from(shown?.valueBase64 ?? '', 'base64').toString('utf8')).toBe(shown?.valueText);
      expect(JSON.stringify(shown)).not.toContain(TOKEN);
    });

    it('given a JSON dead letter without secrets, when an operator opens it, then its bytes are shown exactly as stored', async () => {
      const plain = { ...letter, offset: '1', value: '{ "checkoutId" : "chk-2",\n  "lines": [] }' };
      const exact = createDeadLetterOperations({
        source: { deadLetterTopics: async () => [plain.topic], readDeadLetters: async () => [plain] },
        bus: {} as MessageBus,
        records: new InMemoryEventStore(),
        clock: new ManualClock(),
      });
      const shown = await exact.deadLetter('checkout.requested.dlq:0:1');
      expect(shown?.valueText).toBe(plain.value);
      expect(shown?.valueBase64).toBe(Buffer.from(plain.value, 'utf8').toString('base64'));
    });

    it('given a live topic (not *.dlq), when its messages are listed or opened as dead letters, then nothing is read from it', async () => {
      read.length = 0;
      await expect(operations.deadLetters({ topic: 'payment.commands' })).resolves.toEqual([]);
      await expect(operations.deadLetter('payment.commands:0:0')).resolves.toBeUndefined();
      await expect(operations.replayDeadLetters({ by: 'ops', topic: 'payment.commands' })).resolves.toEqual([]);
      expect(read).toEqual([]);
    });
  });
});
