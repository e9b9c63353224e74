import { ValidationError } from '@stockade/kernel';
import type { KafkaMessage } from 'kafkajs';
import { headersFrom, kafkaRecordsFrom, storedMessageFrom } from './kafka-records';

describe('Kafka records', () => {
  it('given outgoing messages, when turned into records, then values are JSON and headers copied', () => {
    expect(kafkaRecordsFrom([{ key: 'sku-1', value: { quantity: 2 }, headers: { 'x-trace': 't' } }])).toEqual([
      { key: 'sku-1', value: '{"quantity":2}', headers: { 'x-trace': 't' } },
    ]);
  });

  it('given a value JSON cannot represent, when turned into records, then the whole call is refused', () => {
    expect(() =>
      kafkaRecordsFrom([
        { key: 'k', value: 1 },
        { key: 'k', value: undefined },
      ]),
    ).toThrow(ValidationError);
  });

  it('given a Kafka message with buffers, repeated headers and no key, when read, then it becomes strings with the last header value', () => {
    const message: KafkaMessage = {
      key: null,
      value: Buffer.from('ünïcode'),
      offset: '41',
      timestamp: '0',
      attributes: 0,
      headers: { 'x-trace': [Buffer.from('first'), Buffer.from('last')], 'x-plain': 'text', 'x-none': undefined },
    };

    expect(storedMessageFrom('orders', 2, message)).toEqual({
      topic: 'orders',
      partition: 2,
      offset: 41,
      key: '',
      value: 'ünïcode',
      headers: { 'x-trace': 'last', 'x-plain': 'text' },
      // The bytes as they came, for a dead letter that keeps them exactly.
      original: {
        key: null,
        value: Buffer.from('ünïcode'),
        headers: { 'x-trace': Buffer.from('last'), 'x-plain': 'text' },
      },
    });
    expect(headersFrom(undefined)).toEqual({});
  });
});
