import type { IncomingMessage, MessageBus, OutgoingMessage, SubscribeOptions, Subscription } from './message-bus';

/**
 * Maps the logical topic names the code uses (`checkout.requested`) to the names a deployment
 * wants (`prod.checkout.requested`), in one place, so no service has to know. Handlers still see
 * logical names; dead-letter topics follow the physical name (`prod.checkout.requested.dlq`).
 */
export class TopicNamingMessageBus implements MessageBus {
  constructor(
    private readonly inner: MessageBus,
    private readonly physicalName: (logical: string) => string,
  ) {}

  static withPrefix(inner: MessageBus, prefix: string): MessageBus {
    return prefix === '' ? inner : new TopicNamingMessageBus(inner, (logical) => `${prefix}${logical}`);
  }

  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    return this.inner.publish(this.physicalName(topic), messages);
  }

  subscribe(options: SubscribeOptions): Promise<Subscription> {
    const logicalByPhysical = new Map(options.topics.map((topic) => [this.physicalName(topic), topic]));
    return this.inner.subscribe({
      ...options,
      topics: [...logicalByPhysical.keys()],
      handler: (message: IncomingMessage) => options.handler({ ...message, topic: logicalByPhysical.get(message.topic) ?? message.topic }),
    });
  }

  checkConnection(): Promise<Readonly<Record<string, string>>> {
    return this.inner.checkConnection();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
