/**
 * How much waits on the bus, for metrics: what a consumer group has not yet committed, and what
 * a topic retains (a dead-letter topic's depth). Adapters that can tell implement it; a bus that
 * cannot (a test double) simply has no such metrics.
 */
export interface PartitionBacklog {
  readonly topic: string;
  readonly partition: number;
  readonly messages: number;
}

export interface BusBacklog {
  /**
   * Per partition of each topic: messages after the group's committed offset. A partition the
   * group never committed on counts from the first message retained, as a new group reading from
   * the beginning would; a topic that does not exist yet has no partitions.
   */
  consumerLag(groupId: string, topics: readonly string[]): Promise<PartitionBacklog[]>;
  /** Per partition: messages the topic holds now (end offset − first retained offset). */
  retainedMessages(topics: readonly string[]): Promise<PartitionBacklog[]>;
}

export function hasBacklog<Bus extends object>(bus: Bus): bus is Bus & BusBacklog {
  return (
    typeof (bus as Partial<BusBacklog>).consumerLag === 'function' &&
    typeof (bus as Partial<BusBacklog>).retainedMessages === 'function'
  );
}
