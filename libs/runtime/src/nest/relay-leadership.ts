import type { Logger } from '../logger';
import type { PartitionAssignments } from '../partition-assignments';
import type { StoreWithOutbox } from './outbox-relay';

/**
 * Instances of one service share its event store, and the store's outbox must be relayed once, not
 * once per instance (every message would reach the broker N times). The relay runs on whichever
 * instance its consumer group gives one partition: Kafka assigns each partition to exactly one
 * member, moves it when that member leaves or dies, and so moves the relay with it, which resumes
 * from the checkpoint in the store. A member paused past its session may relay a little longer
 * than it should: that only publishes duplicates, which every consumer ignores.
 */
export class RelayLeadership {
  private relay: StoreWithOutbox['relay'] | undefined;
  private leads = false;

  constructor(
    private readonly name: string,
    private readonly logger: Logger,
  ) {}

  /** Relays while this instance holds `partition` in `groupId`. Call before the consumers subscribe. */
  follow(assignments: PartitionAssignments, groupId: string, partition = 0): void {
    assignments.on(groupId, (partitions) => {
      // An empty assignment is a rebalance under way: the relay stays as it is until the new one says.
      if (partitions.length > 0) void this.lead(partitions.includes(partition));
    });
  }

  /** The relay to run or stop; it runs at once if the assignment already came. */
  attach(relay: StoreWithOutbox['relay']): void {
    this.relay = relay;
    if (this.leads) relay.start();
  }

  private async lead(leads: boolean): Promise<void> {
    this.leads = leads;
    const relay = this.relay;
    if (!relay || relay.running === leads) return;
    if (leads) relay.start();
    else await relay.stop();
    this.logger.info(
      { relay: this.name },
      leads
        ? 'relaying the event store: this instance holds the partition the relay follows'
        : 'no longer relaying the event store: the partition it follows moved to another instance',
    );
  }
}
