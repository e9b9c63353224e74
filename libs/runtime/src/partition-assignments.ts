import type { TopicPartitions } from '@stockade/messaging';
import { ConfigurationError } from './config';

/**
 * Who holds which partitions, per consumer group, as the MessageBusServer is told (the bus's
 * onAssignment): a module that follows its group's assignment (inventory shards, ADR 0020)
 * registers here before the consumers subscribe, without knowing the transport.
 */
export class PartitionAssignments {
  private readonly listeners = new Map<string, Array<(partitions: readonly number[]) => void>>();

  /** Told the partitions the group holds (all its topics together) whenever that changes. */
  on(groupId: string, listener: (partitions: readonly number[]) => void): void {
    this.listeners.set(groupId, [...(this.listeners.get(groupId) ?? []), listener]);
  }

  tell(groupId: string, assignment: readonly TopicPartitions[]): void {
    const partitions = [...new Set(assignment.flatMap((entry) => entry.partitions))].sort((a, b) => a - b);
    for (const listener of this.listeners.get(groupId) ?? []) listener(partitions);
  }
}

/**
 * At start, with shards above 1: a topic whose partitions are the shards (a context's sharded
 * commands, ADR 0020) must have exactly that many partitions, or keys would hash to shards that do
 * not exist (fewer) or that nothing routes to (more). A topic not created yet will be, with
 * KAFKA_TOPIC_PARTITIONS, which must then be the shard count. `setting` names the shard count's
 * variable, `guide` where an operator reads how to change it.
 */
export async function checkShardedTopic(
  partitionsOf: ((topic: string) => Promise<number | undefined>) | undefined,
  topic: string,
  shards: number,
  partitionsOfNewTopics: number,
  setting: { readonly name: string; readonly guide: string },
): Promise<void> {
  if (shards <= 1) return;
  const existing = partitionsOf ? await partitionsOf(topic) : undefined;
  const partitions = existing ?? partitionsOfNewTopics;
  if (partitions === shards) return;
  const where =
    existing === undefined
      ? `${topic} does not exist yet and would be created with KAFKA_TOPIC_PARTITIONS=${partitionsOfNewTopics}`
      : `${topic} has ${existing} partitions`;
  throw new ConfigurationError([
    {
      field: setting.name,
      message: `is ${shards}, but ${where}: shards are its partitions, so the two must be equal (${setting.guide})`,
    },
  ]);
}
