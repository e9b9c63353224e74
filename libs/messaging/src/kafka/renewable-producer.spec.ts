import type { Producer, ProducerRecord } from 'kafkajs';
import { isLostProducerSession, RenewableProducer } from './renewable-producer';

/** A kafkajs protocol error as the broker's answer arrives (type and retriable as kafkajs sets them). */
function protocolError(type: string): Error {
  return Object.assign(new Error(`broker answered ${type}`), { name: 'KafkaJSProtocolError', type, retriable: false });
}

/** What kafkajs throws once its retries give up: the broker's answer inside. */
function retriesExceeded(cause: Error): Error {
  return Object.assign(new Error(cause.message, { cause }), { name: 'KafkaJSNumberOfRetriesExceeded' });
}

/** Producers that fail their sends with `failWith` until `healthyFrom` (the index of the first good one). */
function producers(failWith: () => Error, healthyFrom: number) {
  const created: { id: number; sent: ProducerRecord[]; disconnected: boolean }[] = [];
  const create = (): Producer => {
    const state = { id: created.length, sent: [] as ProducerRecord[], disconnected: false };
    created.push(state);
    return {
      connect: async () => undefined,
      disconnect: async () => void (state.disconnected = true),
      send: async (record: ProducerRecord) => {
        if (state.id < healthyFrom) throw failWith();
        state.sent.push(record);
        return [];
      },
    } as unknown as Producer;
  };
  return { created, create };
}

const record: ProducerRecord = { topic: 'inventory.events', messages: [{ key: 'chk-1', value: '{}' }] };

describe('the renewable idempotent producer', () => {
  it('given a broker that lost the producer session (out of order sequence number), when a send fails, then the next send goes out on a new producer and the old one is closed', async () => {
    const { created, create } = producers(() => retriesExceeded(protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER')), 1);
    const renewed: unknown[] = [];
    const producer = await RenewableProducer.connect(create, (error) => renewed.push(error));

    await expect(producer.send(record)).rejects.toThrow('OUT_OF_ORDER_SEQUENCE_NUMBER');
    await producer.send(record);

    expect(created.map(({ sent, disconnected }) => ({ sent: sent.length, disconnected }))).toEqual([
      { sent: 0, disconnected: true },
      { sent: 1, disconnected: false },
    ]);
    expect(renewed).toHaveLength(1);
  });

  it('given many sends failing on the same lost session at once, then the producer is renewed once', async () => {
    const { created, create } = producers(() => protocolError('UNKNOWN_PRODUCER_ID'), 1);
    const producer = await RenewableProducer.connect(create);

    await Promise.allSettled([producer.send(record), producer.send(record), producer.send(record)]);
    await producer.send(record);

    expect(created).toHaveLength(2);
  });

  it('given an outage (connection refused), when a send fails, then the producer is kept: kafkajs reconnects it by itself', async () => {
    const outage = () =>
      Object.assign(new Error('Connection error: connect ECONNREFUSED'), {
        name: 'KafkaJSConnectionError',
        retriable: true,
      });
    const { created, create } = producers(outage, 1);
    const producer = await RenewableProducer.connect(create);

    await expect(producer.send(record)).rejects.toThrow('ECONNREFUSED');

    expect(created).toHaveLength(1);
  });

  it.each(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH'])(
    'given %s, alone or wrapped by kafkajs retries, then it is a lost session',
    (type) => {
      expect(isLostProducerSession(protocolError(type))).toBe(true);
      expect(isLostProducerSession(retriesExceeded(protocolError(type)))).toBe(true);
      expect(isLostProducerSession(protocolError('NOT_LEADER_FOR_PARTITION'))).toBe(false);
    },
  );
});
