import type { LogRecord } from '../log/message-log';

/**
 * A message on its way from a relay to the consumers of a handed-over topic: what the log would
 * have stored (partition, key, the serialised value, headers), never stored. Plain data, so it
 * crosses to another thread by structured clone unchanged.
 */
export type HandedRecord = LogRecord;

/**
 * Something that takes handed-over messages of one topic for one consumer group: a subscription
 * in this thread ({@link HandoffReceiver}) or one on another thread (through a {@link HandoffPeer}).
 * `deliver` resolves once each message was handled or dead-lettered, and rejects when one was not
 * (the consumer stopped first): the relay then publishes it again.
 */
export interface HandoffConsumer {
  deliver(records: readonly HandedRecord[]): Promise<void>;
}
