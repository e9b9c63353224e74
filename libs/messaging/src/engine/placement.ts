import { ValidationError } from '@stockade/kernel';
import type { OutgoingMessage } from '../message-bus';

/**
 * The partition a publisher chose for a message (a shard), checked against the topic's
 * partition count; undefined when the key is to place it. Every adapter refuses the same
 * placements, before anything of the call is sent.
 */
export function placement(message: OutgoingMessage, index: number, partitions: number): number | undefined {
  if (message.partition === undefined) return undefined;
  if (!Number.isInteger(message.partition) || message.partition < 0 || message.partition >= partitions) {
    const range = Number.isFinite(partitions)
      ? `from 0 to ${partitions - 1} (the topic's partitions)`
      : 'of at least 0';
    throw new ValidationError([{ field: `messages[${index}].partition`, message: `must be a whole number ${range}` }]);
  }
  return message.partition;
}
