import type { ContractContext } from '../contract-fixtures';
import { anEvent, uniqueStreamName } from '../contract-fixtures';

/** JSON values an event may carry; everything a JSON round-trip preserves must survive the store. */
const richData = {
  sku: 'LAMP-42',
  lines: [
    { sku: 'DESK-1', quantity: 3, price: { amount: 129.99, currency: 'EUR' } },
    { sku: 'CHAIR-7', quantity: 0, price: { amount: -0.5, currency: 'EUR' } },
  ],
  flags: { giftWrap: true, express: false, note: null },
  empty: { text: '', list: [], object: {} },
  large: Number.MAX_SAFE_INTEGER,
  unicode: 'Schreibtischlampe ü ß, 台灯, лампа, مصباح, 🛒🚀, e\u0301, "quotes" \\ and\nnewlines\ttabs',
};

export function describeDataRoundTrip({ store }: ContractContext): void {
  describe('event content', () => {
    it('when an event with nested JSON and unicode is appended, then reading it back returns equal data, metadata and type', async () => {
      const stream = uniqueStreamName();
      const event = anEvent({
        type: 'StockReserved.v1',
        data: richData,
        metadata: {
          correlationId: 'checkout-ü-🛒',
          causationId: 'command-1',
          occurredAt: '2026-03-01T12:34:56.789Z',
          userId: 'operator-7',
          trace: { spanId: 'abc', sampled: true },
        },
      });

      await store().appendToStream(stream, [event], { expectedVersion: 'no_stream' });

      const [fromStream] = await store().readStream(stream);
      const [fromLog] = await store().readAll({ after: (fromStream?.position ?? 1) - 1, limit: 1 });
      for (const recorded of [fromStream, fromLog]) {
        expect(recorded).toMatchObject({ id: event.id, type: event.type, stream, version: 0 });
        expect(recorded?.data).toEqual(richData);
        expect(recorded?.metadata).toEqual(event.metadata);
      }
    });

    it('given a stream name with unicode and punctuation, then it is stored and read back exactly', async () => {
      const stream = `${uniqueStreamName('stock')}/Größe:XL|台灯 🚀'"`;

      await store().appendToStream(stream, [anEvent()], { expectedVersion: 'no_stream' });

      expect((await store().readStream(stream)).map((e) => e.stream)).toEqual([stream]);
      expect(await store().streamVersion(stream)).toBe(0);
    });
  });
}
