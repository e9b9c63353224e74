import { ValidationError } from '@stockade/kernel';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { Headers, OutgoingMessage } from '../message-bus';
import type { OriginalBytes, StoredMessage } from '../log/message-log';
import { placement } from '../engine/placement';

/** A message as it goes onto a topic: the value already serialised (or the exact bytes of a dead letter or a replay). */
export interface KafkaRecord {
  readonly key: string | Uint8Array | null;
  readonly value: string | Uint8Array | null;
  readonly headers: Readonly<Record<string, string | Uint8Array>>;
  /** Set when the publisher chose the partition (a shard); otherwise the key places it. */
  readonly partition?: number;
}

/**
 * Same refusals as the log-backed buses: nothing is sent when one message of the call is bad. The topic
 * may have been provisioned with more partitions than this bus creates topics with: the broker checks
 * the upper bound of a chosen partition.
 */
export function kafkaRecordsFrom(
  messages: readonly OutgoingMessage[],
  partitions = Number.POSITIVE_INFINITY,
): KafkaRecord[] {
  return messages.map((message, index) => {
    if (typeof message.key !== 'string')
      throw new ValidationError([{ field: `messages[${index}].key`, message: 'must be a string' }]);
    const value = JSON.stringify(message.value);
    if (value === undefined)
      throw new ValidationError([{ field: `messages[${index}].value`, message: 'must be JSON-serialisable' }]);
    const partition = placement(message, index, partitions);
    return {
      key: message.key,
      value,
      headers: { ...message.headers },
      ...(partition === undefined ? {} : { partition }),
    };
  });
}

/** Without a partition, kafkajs' default partitioner (murmur2, as `partitionForKey`) places it by key. */
export function kafkaMessageOf(record: KafkaRecord): Message {
  return {
    key: bufferOf(record.key),
    value: bufferOf(record.value),
    headers: Object.fromEntries(
      Object.entries(record.headers).map(([name, value]) => [name, bufferOf(value) as Buffer | string]),
    ),
    ...(record.partition === undefined ? {} : { partition: record.partition }),
  };
}

function bufferOf(value: string | Uint8Array | null): Buffer | string | null {
  return value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value;
}

/**
 * What the delivery engine works on. Messages written by other producers may lack a key or a
 * value (a tombstone): they arrive as empty strings rather than crash the consumer.
 */
export function storedMessageFrom(topic: string, partition: number, message: KafkaMessage): StoredMessage {
  return {
    topic,
    partition,
    // Offsets below 2^53 are exact as numbers; a partition would need 9e15 messages to pass it.
    offset: Number(message.offset),
    key: message.key?.toString('utf8') ?? '',
    value: message.value?.toString('utf8') ?? '',
    headers: headersFrom(message.headers),
    original: originalBytesOf(message),
  };
}

/**
 * The bytes a dead letter keeps. Nearly every message is handled, never dead-lettered, so its
 * headers are flattened only when a dead letter asks for them, not once per consumed message.
 */
export function originalBytesOf(message: KafkaMessage): OriginalBytes {
  let headers: Record<string, Uint8Array | string> | undefined;
  return {
    key: message.key ?? null,
    value: message.value ?? null,
    get headers() {
      return (headers ??= rawHeadersFrom(message.headers));
    },
  };
}

/** The last value of each header, as the broker gave it (bytes), for a dead letter that keeps them. */
export function rawHeadersFrom(raw: IHeaders | undefined): Record<string, Uint8Array | string> {
  const headers: Record<string, Uint8Array | string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) headers[name] = last;
  }
  return headers;
}

/** Kafka allows a header name to repeat; the port has one value per name, so the last one wins. */
export function headersFrom(raw: IHeaders | undefined): Headers {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) headers[name] = typeof last === 'string' ? last : last.toString('utf8');
  }
  return headers;
}
