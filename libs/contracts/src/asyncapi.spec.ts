import { buildAsyncApiDocument } from './asyncapi';
import { channelCheckoutTopic, channelOutcomeTopic, deadLetterTopic, TOPICS } from './messages';

interface Channel {
  readonly address: string;
  readonly description: string;
  readonly messages: Record<string, unknown>;
  readonly parameters?: Record<string, unknown>;
}

const channels = () => Object.values(buildAsyncApiDocument('test')['channels'] as Record<string, Channel>);

describe('the AsyncAPI document', () => {
  it("given sales channels, then each channel's outcomes topic order.events.{channel} is documented with the three outcomes, the channel parameter and its reader", () => {
    const outcomes = channels().find((channel) => channel.address === 'order.events.{channel}');

    expect(Object.keys(outcomes?.messages ?? {})).toEqual([
      'OrderCompleted_v1',
      'OrderRejected_v1',
      'OrderCancelled_v1',
    ]);
    expect(Object.keys(outcomes?.parameters ?? {})).toEqual(['channel']);
    expect(outcomes?.description).toMatch(/only that channel's principal may read/);
    expect(channels().find((channel) => channel.address === 'order.events')?.description).toMatch(
      /each channel reads its own order\.events\.\{channel\}/,
    );
  });
});

describe('the AsyncAPI operations and dead-letter topics', () => {
  const document = buildAsyncApiDocument('test');
  const allChannels = document['channels'] as Record<string, Channel>;
  const operations = Object.values(
    document['operations'] as Record<string, { action: string; channel: { $ref: string }; tags: { name: string }[] }>,
  ).map((operation) => ({
    action: operation.action,
    app: operation.tags[0]?.name,
    topic: allChannels[operation.channel.$ref.replace('#/channels/', '')]?.address,
  }));
  const who = (action: string, topic: string) =>
    operations
      .filter((operation) => operation.action === action && operation.topic === topic)
      .map((operation) => operation.app)
      .sort();

  it('given every topic of TOPICS and each channel topic, then each has a channel and a .dlq channel', () => {
    const addresses = Object.values(allChannels).map((channel) => channel.address);
    for (const topic of [
      ...Object.values(TOPICS),
      channelCheckoutTopic('{channel}'),
      channelOutcomeTopic('{channel}'),
    ]) {
      expect(addresses).toEqual(expect.arrayContaining([topic, deadLetterTopic(topic)]));
    }
  });

  it.each([
    [TOPICS.checkoutRequested, ['cart-service'], ['order-service']],
    [channelCheckoutTopic('{channel}'), [], ['order-service']],
    [TOPICS.inventoryCommands, ['inventory-service', 'order-service'], ['inventory-service']],
    [TOPICS.inventoryEvents, ['inventory-service'], ['order-service']],
    [TOPICS.stockLevels, ['gateway', 'inventory-service'], ['cart-service', 'gateway']],
    [TOPICS.inventoryAlerts, ['inventory-service'], []],
    [TOPICS.inventoryReorders, ['inventory-service'], ['inventory-service']],
    [TOPICS.paymentCommands, ['order-service'], ['order-service']],
    [TOPICS.orderEvents, ['order-service'], ['cart-service', 'order-service']],
    [channelOutcomeTopic('{channel}'), ['order-service'], []],
  ])('given %s, then its senders are %j and its receivers %j', (topic, senders, receivers) => {
    expect([who('send', topic), who('receive', topic)]).toEqual([senders, receivers]);
  });

  it('given a topic a Stockade app receives, then that app sends to its .dlq and the operator surface reads it, with the dead-letter headers and traceparent', () => {
    const messages = (
      document['components'] as {
        messages: Record<string, { headers: { properties: Record<string, unknown>; required: string[] } }>;
      }
    ).messages;
    expect(who('send', deadLetterTopic(TOPICS.inventoryEvents))).toEqual(['order-service']);
    expect(who('receive', deadLetterTopic(TOPICS.inventoryEvents))).toEqual(['gateway']);
    const dead = messages['StockReserved_v1_dead'];
    expect(dead?.headers.required).toEqual(
      expect.arrayContaining(['x-dlq-original-topic', 'x-dlq-error', 'x-dlq-attempts']),
    );
    expect(Object.keys(dead?.headers.properties ?? {})).toContain('traceparent');
    expect(Object.keys(messages['StockReserved_v1']?.headers.properties ?? {})).toEqual(['traceparent', 'tracestate']);
  });
});
