import type { OriginalBytes } from './log/message-log';
import type { IncomingMessage } from './message-bus';

/** A dead letter as read: `valueBytes` holds the exact bytes where the storage keeps bytes (Kafka). */
export interface DeadLetterMessage extends IncomingMessage {
  readonly valueBytes?: Uint8Array;
  /** Key, value and headers exactly as stored (a broker's dead letters), for a replay that republishes them unchanged. */
  readonly original?: OriginalBytes;
}

/**
 * Dead letters read without consuming them (operators list, inspect and replay them; the
 * services' consumer groups and offsets are not touched). Topic names are the bus's own.
 */
export interface DeadLetterSource {
  /** The dead-letter topics (`*.dlq`) that hold messages. */
  deadLetterTopics(): Promise<string[]>;
  /** Every message of one dead-letter topic, each partition in offset order. `attempt` is 1. */
  readDeadLetters(topic: string): Promise<DeadLetterMessage[]>;
}
