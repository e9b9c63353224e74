import type { DynamicModule, Type } from '@nestjs/common';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { CartModule } from '@stockade/cart-nest';
import { deploymentPaymentSimulator } from '@stockade/ordering-service';
import { InventoryModule, SupplierSimulatorModule } from '@stockade/inventory-nest';
import { OrderingModule } from '@stockade/ordering-nest';
import { buildAsyncApiDocument, channelCheckoutTopic, channelOutcomeTopic } from '@stockade/contracts';
import { DLQ_HEADERS } from '@stockade/messaging';

const document = buildAsyncApiDocument('test');
const channels = document['channels'] as Record<string, { address: string }>;
const operations = Object.values(
  document['operations'] as Record<string, { action: string; channel: { $ref: string }; tags: { name: string }[] }>,
);

/** The topics a module's `@EventPattern` handlers subscribe to, a sales channel's own as its `{channel}` address. */
function subscribedTopics(module: DynamicModule): string[] {
  const controllers = (module.controllers ?? []) as Type[];
  return controllers
    .flatMap((controller) =>
      Object.getOwnPropertyNames(controller.prototype).flatMap((name) => {
        const handler = (Object.getOwnPropertyDescriptor(controller.prototype, name)?.value ?? {}) as object;
        return ((Reflect.getMetadata(PATTERN_METADATA, handler) as unknown[] | undefined) ?? []).map(String);
      }),
    )
    .map((topic) =>
      topic
        .replace(channelCheckoutTopic('web'), channelCheckoutTopic('{channel}'))
        .replace(channelOutcomeTopic('web'), channelOutcomeTopic('{channel}')),
    );
}

const documentedReceives = (app: string) =>
  operations
    .filter((operation) => operation.action === 'receive' && operation.tags[0]?.name === app)
    .map((operation) => channels[operation.channel.$ref.replace('#/channels/', '')]?.address)
    .filter((topic) => !topic?.endsWith('.dlq'));

describe('the AsyncAPI document against the handlers in the code', () => {
  it.each([
    ['order-service', [OrderingModule.register({ channels: ['web'] })]],
    ['inventory-service', [InventoryModule.register(), SupplierSimulatorModule.register()]],
    [
      'cart-service',
      [
        CartModule.register(
          { kind: 'feed', shared: false },
          { payments: deploymentPaymentSimulator({ slowTokens: false }) },
        ),
      ],
    ],
  ] as const)(
    'given %s, then it documents a receive on exactly the topics its @EventPattern handlers subscribe to',
    (app, modules) => {
      expect([...new Set(documentedReceives(app))].sort()).toEqual(
        [...new Set(modules.flatMap(subscribedTopics))].sort(),
      );
    },
  );

  it('given the headers the bus writes on a dead letter, then every dead-letter message documents them all as required', () => {
    const messages = (
      document['components'] as { messages: Record<string, { name: string; headers: { required?: string[] } }> }
    ).messages;
    const dead = Object.values(messages).filter((message) => message.name.endsWith('(dead letter)'));
    expect(dead.length).toBeGreaterThan(0);
    for (const message of dead)
      expect([...(message.headers.required ?? [])].sort()).toEqual(Object.values(DLQ_HEADERS).sort());
  });
});
