import type { NewEvent } from '../event-store';
import { decodeEvent, encodeEvent, ENVELOPE_PROPERTY, writerOf, type StoredRecord } from './kurrent-event-codec';

const event: NewEvent = {
  id: 'checkout-42:StockReserved',
  type: 'StockReserved.v1',
  data: { sku: 'LAMP-42', lines: [{ quantity: 3 }], note: null },
  metadata: {
    correlationId: 'checkout-ü-🛒',
    causationId: 'command-1',
    occurredAt: '2026-03-01T12:34:56.789Z',
    trace: { spanId: 'abc', sampled: true },
  },
};
const context = { recordedAt: '2026-05-01T10:00:00.000Z', writer: 'writer-1' };

/** What the client hands back for a record it wrote from `encodeEvent`'s output (metadata parsed as JSON). */
function storedFrom(encoded: ReturnType<typeof encodeEvent>, revision = 0n): StoredRecord {
  return {
    id: encoded.id,
    type: encoded.type,
    revision,
    data: encoded.data,
    metadata: encoded.metadata,
    created: new Date('2030-01-01T00:00:00.000Z'),
  };
}

describe('encodeEvent', () => {
  it('when an event is encoded, then its metadata is one string property, as multiStreamAppend requires', () => {
    const encoded = encodeEvent(event, context);

    expect(Object.keys(encoded.metadata as object)).toEqual([ENVELOPE_PROPERTY]);
    expect(typeof (encoded.metadata as Record<string, unknown>)[ENVELOPE_PROPERTY]).toBe('string');
    expect(encoded.contentType).toBe('application/json');
  });

  it('when the same event is encoded twice, then each record gets a fresh UUID, so KurrentDB never treats a redelivery as an idempotent write', () => {
    const [first, second] = [encodeEvent(event, context), encodeEvent(event, context)];

    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.id).not.toBe(second.id);
  });
});

describe('decodeEvent', () => {
  it('given a record written by encodeEvent, then the port event comes back with our id, type, data, metadata and recordedAt', () => {
    const decoded = decodeEvent(storedFrom(encodeEvent(event, context), 7n), {
      stream: 'stock-LAMP-42',
      position: 1001,
    });

    expect(decoded).toEqual({
      ...event,
      stream: 'stock-LAMP-42',
      version: 7,
      position: 1001,
      recordedAt: context.recordedAt,
    });
  });

  it('given a record the client did not parse (bytes), then data and metadata are parsed here', () => {
    const encoded = encodeEvent(event, context);
    const bytes = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value), 'utf8'));
    const record = { ...storedFrom(encoded), data: bytes(encoded.data), metadata: bytes(encoded.metadata) };

    expect(decodeEvent(record, { stream: 's', position: 1 })).toMatchObject({
      id: event.id,
      data: event.data,
      metadata: event.metadata,
    });
  });

  it('given data that is not an object (a number, null), then it round-trips too', () => {
    for (const data of [42, null, 'text', [1, 2]]) {
      expect(
        decodeEvent(storedFrom(encodeEvent({ ...event, data }, context)), { stream: 's', position: 1 }).data,
      ).toEqual(data);
    }
  });

  it('given a record written by another tool (no envelope), then its own id, type, metadata and creation time are used', () => {
    const record: StoredRecord = {
      id: 'a-uuid',
      type: 'Foreign',
      revision: 0n,
      data: { x: 1 },
      metadata: { source: 'cli' },
      created: new Date('2030-01-01T00:00:00.000Z'),
    };

    expect(decodeEvent(record, { stream: 's', position: 5 })).toMatchObject({
      id: 'a-uuid',
      type: 'Foreign',
      metadata: { source: 'cli' },
      recordedAt: '2030-01-01T00:00:00.000Z',
    });
    expect(writerOf(record)).toBeUndefined();
  });

  it('given a record written by a store, then its writer is known, so that store can ignore its own echo', () => {
    expect(writerOf(storedFrom(encodeEvent(event, context)))).toBe('writer-1');
  });
});
