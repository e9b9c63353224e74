import { join } from 'node:path';
import { DLQ_HEADERS } from '@stockade/messaging';
import { SqliteMessageBus } from '@stockade/messaging/sqlite';
import type { DeadLetter, DeadLetterSummary, ReplayResult } from '@stockade/operations';
import { OPERATOR_TOKEN, startTestSystem } from './testing/test-system';

type System = Awaited<ReturnType<typeof startTestSystem>>;

const ops = async <T>(sut: System, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
  const response = await fetch(`${sut.system.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
};
const deadLetters = async (sut: System) =>
  (await ops<{ deadLetters: DeadLetterSummary[] }>(sut, '/ops/dlq?topic=checkout.requested.dlq')).body.deadLetters;

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let tries = 0; tries < 200; tries++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return read();
}

describe('dead letters through the operator surface of the embedded system', () => {
  let sut: System;
  let upstream: SqliteMessageBus;

  beforeAll(async () => {
    sut = await startTestSystem();
    // An upstream service writing to the same message log, as a separate process would.
    upstream = SqliteMessageBus.open(join(sut.dataDir, 'messages.db'));
    await sut.client.receiveStock('DLQ-LAMP', 5);
  });
  afterAll(async () => {
    await upstream.close();
    await sut.stop();
  });

  it('given an invalid checkout published upstream, when dead letters are listed twice, then it is there both times with its reason and origin', async () => {
    await upstream.publish('checkout.requested', [
      { key: 'bad-1', value: { checkoutId: 'bad-1', lines: 'not a list' } },
    ]);

    const first = await eventually(
      () => deadLetters(sut),
      (letters) => letters.some((letter) => letter.key === 'bad-1'),
    );
    const second = await deadLetters(sut);

    const letter = first.find((candidate) => candidate.key === 'bad-1');
    expect(letter).toMatchObject({ topic: 'checkout.requested.dlq', originalTopic: 'checkout.requested' });
    expect(letter?.error).toMatch(/lines|customerId/);
    expect(second.filter((candidate) => candidate.key === 'bad-1')).toHaveLength(1);
    const shown = await ops<DeadLetter>(sut, `/ops/dlq/${encodeURIComponent(letter?.id as string)}`);
    expect(JSON.parse(shown.body.valueText as string)).toEqual({ checkoutId: 'bad-1', lines: 'not a list' });
    expect(Buffer.from(shown.body.valueBase64, 'base64').toString('utf8')).toBe(shown.body.valueText);
  });

  it('given a checkout that was dead-lettered before a fix, when it is replayed, then the order goes through once, the replay is recorded, and a second replay is refused', async () => {
    const checkout = {
      checkoutId: 'dlq-fixed',
      customerId: 'erin',
      lines: [{ sku: 'DLQ-LAMP', quantity: 1, unitPrice: 12 }],
    };
    await upstream.publish('checkout.requested.dlq', [
      {
        key: 'dlq-fixed',
        value: checkout,
        headers: {
          [DLQ_HEADERS.originalTopic]: 'checkout.requested',
          [DLQ_HEADERS.error]: 'a bug, since fixed',
          [DLQ_HEADERS.attempts]: '5',
        },
      },
    ]);
    const letter = (
      await eventually(
        () => deadLetters(sut),
        (letters) => letters.some((candidate) => candidate.key === 'dlq-fixed'),
      )
    ).find((candidate) => candidate.key === 'dlq-fixed') as DeadLetterSummary;
    const path = `/ops/dlq/${encodeURIComponent(letter.id)}/replay`;

    const [one, two] = await Promise.all([
      ops<ReplayResult>(sut, path, { by: 'alice' }),
      ops<ReplayResult>(sut, path, { by: 'bob' }),
    ]);
    const order = await sut.client.waitForTerminal('dlq-fixed');
    const again = await ops<ReplayResult>(sut, path, { by: 'carol' });

    expect([one.body.outcome, two.body.outcome].sort()).toEqual(['already-replayed', 'replayed']);
    expect(order.status).toBe('COMPLETED');
    expect(again.body).toMatchObject({
      outcome: 'already-replayed',
      by: one.body.outcome === 'replayed' ? 'alice' : 'bob',
    });
    expect((await deadLetters(sut)).find((candidate) => candidate.id === letter.id)?.replayed?.by).toBe(again.body.by);
    expect(await sut.client.stock('DLQ-LAMP')).toMatchObject({ onHand: 4 });
  });

  it('given one letter replayed and one not, when all are replayed, then only the one not yet replayed is', async () => {
    await upstream.publish('checkout.requested.dlq', [
      {
        key: 'dlq-second',
        value: {
          checkoutId: 'dlq-second',
          customerId: 'finn',
          lines: [{ sku: 'DLQ-LAMP', quantity: 1, unitPrice: 12 }],
        },
        headers: { [DLQ_HEADERS.originalTopic]: 'checkout.requested', [DLQ_HEADERS.error]: 'a bug, since fixed' },
      },
    ]);
    const letters = await eventually(
      () => deadLetters(sut),
      (found) => found.some((candidate) => candidate.key === 'dlq-second'),
    );
    const idOfKey = (key: string) => letters.find((candidate) => candidate.key === key)?.id;

    const { body } = await ops<{ results: ReplayResult[] }>(sut, '/ops/dlq/replay', {
      by: 'alice',
      topic: 'checkout.requested.dlq',
    });

    const replayed = body.results.filter((result) => result.outcome === 'replayed').map((result) => result.id);
    expect(replayed).toContain(idOfKey('dlq-second'));
    expect(replayed).not.toContain(idOfKey('dlq-fixed'));
    expect(body.results.map((result) => result.id)).not.toContain(idOfKey('dlq-fixed'));
    expect((await sut.client.waitForTerminal('dlq-second')).status).toBe('COMPLETED');
  });

  it("given upstream checkouts on checkout.requested with a line without a price or priced 0, then each is dead-lettered with the reason naming the line's unitPrice, and no order is placed", async () => {
    const envelope = (data: unknown) => ({
      messageId: 'm-dlq-zero',
      type: 'CheckoutRequested.v1',
      correlationId: 'dlq-zero',
      causationId: 'upstream',
      occurredAt: '2026-12-01T10:00:00.000Z',
      data,
    });
    await upstream.publish('checkout.requested', [
      {
        key: 'dlq-no-price',
        value: { checkoutId: 'dlq-no-price', customerId: 'gus', lines: [{ sku: 'DLQ-LAMP', quantity: 1 }] },
      },
      {
        key: 'dlq-zero',
        value: envelope({
          checkoutId: 'dlq-zero',
          customerId: 'gus',
          lines: [
            { sku: 'DLQ-LAMP', quantity: 1, unitPrice: 12 },
            { sku: 'DLQ-DESK', quantity: 1, unitPrice: 0 },
          ],
        }),
      },
    ]);

    const letters = await eventually(
      () => deadLetters(sut),
      (found) => ['dlq-no-price', 'dlq-zero'].every((key) => found.some((candidate) => candidate.key === key)),
    );

    expect(letters.find((letter) => letter.key === 'dlq-no-price')?.error).toContain('lines.0.unitPrice: is required');
    expect(letters.find((letter) => letter.key === 'dlq-zero')?.error).toContain(
      'data.lines.1.unitPrice: must be more than 0',
    );
    for (const orderId of ['dlq-no-price', 'dlq-zero'])
      expect((await fetch(`${sut.system.url}/orders/${orderId}`)).status).toBe(404);
  });
});
