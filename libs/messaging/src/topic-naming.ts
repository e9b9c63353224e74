import { deadLetterTopic } from '@stockade/contracts';
import { InvariantViolation } from '@stockade/kernel';
import { canPublishRaw, RawRecord } from './raw-publisher';
import { BusBacklog, hasBacklog, PartitionBacklog } from './backlog/bus-backlog';
import type {
  IncomingMessage,
  MessageBus,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  TopicPartitions,
} from './message-bus';

const DEAD_LETTER_SUFFIX = deadLetterTopic('');

/**
 * Maps the logical topic names the code uses (`checkout.requested`) to the names a deployment
 * wants (`prod.checkout.requested`), in one place, so no service has to know. Handlers still see
 * logical names; dead-letter topics follow the physical name (`prod.checkout.requested.dlq`).
 * Consumer groups are named by the deployment too (`prod.order-service`): a group is cluster-wide,
 * so two deployments on one cluster sharing `order-service` would rebalance each other's members
 * and hand one deployment's partitions to the other's consumers.
 */
export class TopicNamingMessageBus implements MessageBus, BusBacklog {
  constructor(
    private readonly inner: MessageBus,
    private readonly physicalName: (logical: string) => string,
    private readonly groupName: (logical: string) => string = (groupId) => groupId,
  ) {}

  static withPrefix(inner: MessageBus, prefix: string, groupPrefix = ''): MessageBus {
    return prefix === '' && groupPrefix === ''
      ? inner
      : new TopicNamingMessageBus(
          inner,
          (logical) => `${prefix}${logical}`,
          (groupId) => `${groupPrefix}${groupId}`,
        );
  }

  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    return this.inner.publish(this.physicalName(topic), messages);
  }

  /** Bytes as they are, to the physical topic (a dead letter's replay); for an inner bus that can. */
  publishRaw(topic: string, records: readonly RawRecord[]): Promise<void> {
    if (!canPublishRaw(this.inner)) throw new InvariantViolation('this message bus cannot publish raw bytes');
    return this.inner.publishRaw(this.physicalName(topic), records);
  }

  subscribe(options: SubscribeOptions): Promise<Subscription> {
    const logicalByPhysical = new Map(options.topics.map((topic) => [this.physicalName(topic), topic]));
    const tell = options.onAssignment;
    return this.inner.subscribe({
      ...options,
      groupId: this.groupName(options.groupId),
      topics: [...logicalByPhysical.keys()],
      handler: (message: IncomingMessage) =>
        options.handler({ ...message, topic: logicalByPhysical.get(message.topic) ?? message.topic }),
      ...(tell
        ? {
            onAssignment: (assignment: readonly TopicPartitions[]) =>
              tell(assignment.map((entry) => ({ ...entry, topic: logicalByPhysical.get(entry.topic) ?? entry.topic }))),
          }
        : {}),
    });
  }

  partitionsOf(topic: string): Promise<number | undefined> {
    return this.inner.partitionsOf ? this.inner.partitionsOf(this.physicalName(topic)) : Promise.resolve(undefined);
  }

  /** Logical topic names in and out; [] when the inner bus cannot tell. */
  async consumerLag(groupId: string, topics: readonly string[]): Promise<PartitionBacklog[]> {
    return hasBacklog(this.inner)
      ? this.logical(
          topics,
          await this.inner.consumerLag(
            this.groupName(groupId),
            topics.map((topic) => this.backlogTopic(topic)),
          ),
        )
      : [];
  }

  async retainedMessages(topics: readonly string[]): Promise<PartitionBacklog[]> {
    return hasBacklog(this.inner)
      ? this.logical(topics, await this.inner.retainedMessages(topics.map((topic) => this.backlogTopic(topic))))
      : [];
  }

  /**
   * The bus dead-letters to `<physical topic>.dlq`, so `checkout.requested.dlq` asked by its
   * logical name is the dead-letter topic of wherever `checkout.requested` is mapped, which a
   * mapping of whole names (`checkout.requested=orders-in`) would otherwise miss.
   */
  private backlogTopic(logical: string): string {
    return logical.endsWith(DEAD_LETTER_SUFFIX)
      ? deadLetterTopic(this.physicalName(logical.slice(0, -DEAD_LETTER_SUFFIX.length)))
      : this.physicalName(logical);
  }

  private logical(topics: readonly string[], backlog: readonly PartitionBacklog[]): PartitionBacklog[] {
    const logicalByPhysical = new Map(topics.map((topic) => [this.backlogTopic(topic), topic]));
    return backlog.map((entry) => ({ ...entry, topic: logicalByPhysical.get(entry.topic) ?? entry.topic }));
  }

  checkConnection(): Promise<Readonly<Record<string, string>>> {
    return this.inner.checkConnection();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
