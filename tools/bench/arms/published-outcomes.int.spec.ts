import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMessageBus } from '@stockade/messaging/sqlite';
import { PublishedOutcomeReader } from './published-outcomes';

const outcome = (orderId: string, type: string, messageId = `evt-${orderId}`) => ({
  key: orderId,
  value: {
    messageId,
    type,
    correlationId: orderId,
    causationId: orderId,
    occurredAt: '2026-12-08T00:00:00.000Z',
    data: { orderId },
  },
});

async function eventually(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("the embedded arm's reader of published outcomes", () => {
  let dir: string;
  let bus: SqliteMessageBus;
  let reader: PublishedOutcomeReader | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stockade-outcomes-'));
    bus = SqliteMessageBus.open(join(dir, 'messages.db'), { partitions: 4 });
  });

  afterEach(async () => {
    reader?.stop();
    await bus.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given outcomes published on order.events while it reads, one of them twice, then it counts each order once and keeps every decision with its arrival time', async () => {
    reader = new PublishedOutcomeReader(join(dir, 'messages.db'));
    reader.start();

    await bus.publish('order.events', [
      outcome('a', 'OrderCompleted.v1'),
      outcome('b', 'OrderRejected.v1'),
      outcome('c', 'OrderCancelled.v1'),
    ]);
    await bus.publish('order.events', [
      outcome('a', 'OrderCompleted.v1'),
      { key: 'x', value: { messageId: 'm', type: 'SomethingElse.v1', data: { orderId: 'x' } } },
    ]);
    await bus.publish('checkout.requested', [{ key: 'z', value: { checkoutId: 'z' } }]);
    const watching = reader;
    await eventually(() => watching.decidedCount === 3);

    expect(reader.decidedCount).toBe(3);
    expect(
      reader.decisions
        .map(({ checkoutId, status, decisionId }) => ({ checkoutId, status, decisionId }))
        .sort((l, r) => l.checkoutId.localeCompare(r.checkoutId)),
    ).toEqual([
      { checkoutId: 'a', status: 'COMPLETED', decisionId: 'evt-a' },
      { checkoutId: 'b', status: 'REJECTED', decisionId: 'evt-b' },
      { checkoutId: 'c', status: 'CANCELLED', decisionId: 'evt-c' },
    ]);
    expect(reader.decisions.every((decision) => (decision.terminalAtMs ?? 0) > Date.now() - 60_000)).toBe(true);
    expect(reader.problems).toEqual([]);
  });

  it('given the same order decided twice under different message ids, then both decisions are kept for the oracle to see', async () => {
    reader = new PublishedOutcomeReader(join(dir, 'messages.db'));
    reader.start();

    await bus.publish('order.events', [
      outcome('a', 'OrderCompleted.v1', 'first'),
      outcome('a', 'OrderCancelled.v1', 'second'),
    ]);

    expect(reader.decisions.map((decision) => decision.decisionId).sort()).toEqual(['first', 'second']);
    expect(reader.decidedCount).toBe(1);
  });

  it('given outcomes that retention deleted before the reader got to them, then it says how many it missed', async () => {
    await bus.publish(
      'order.events',
      Array.from({ length: 10 }, (_, i) => outcome(`o${i}`, 'OrderCompleted.v1')),
    );
    const seen: string[] = [];
    const subscription = await bus.subscribe({
      groupId: 'metrics-orders',
      topics: ['order.events'],
      handler: async (message) => void seen.push(message.key),
    });
    await eventually(() => seen.length === 10);
    await subscription.close();
    const deleted = await bus.prune();

    reader = new PublishedOutcomeReader(join(dir, 'messages.db'));
    reader.start();

    expect(deleted).toBeGreaterThan(0);
    expect(reader.problems).toEqual([
      `${deleted} outcomes on order.events were deleted by retention before the bench read them`,
    ]);
  });
});
