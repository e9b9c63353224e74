import { CartRepository, CartService, InMemoryCartRepository, StockAvailability } from '@stockade/cart-service';
import { TOPICS } from '@stockade/contracts';
import type { EventStore } from '@stockade/event-store';
import { createInventoryService } from '@stockade/inventory-service';
import { Clock } from '@stockade/kernel';
import { EventLogRelay, EventLogRelayOptions, MessageBus, Subscription } from '@stockade/messaging';
import { createOrderingService, PaymentGateway } from '@stockade/ordering-service';
import type { Logger } from './logger';

/**
 * One service's moving parts around its store and the bus: its outbox relay, its consumers, its
 * timers. The embedded runner starts all three nodes on one bus; a service app starts one.
 */
export interface ServiceNode<Facade> {
  readonly facade: Facade;
  close(): Promise<void>;
}

interface NodeBase {
  readonly bus: MessageBus;
  readonly clock: Clock;
  readonly logger: Logger;
}

async function closeAll(parts: readonly { close?: () => Promise<void>; stop?: () => Promise<void> }[]): Promise<void> {
  for (const part of parts) await (part.close ?? part.stop)?.call(part);
}

function relayFor(name: string, store: EventStore, bus: MessageBus, logger: Logger, streamPrefixes: readonly string[], map: EventLogRelayOptions['map'], latestPerKeyTopics: readonly string[] = []): EventLogRelay {
  return new EventLogRelay({ name, store, bus, streamPrefixes, map, latestPerKeyTopics, onError: (error) => logger.warn({ err: error, relay: name }, 'outbox relay page failed; retrying') });
}

export async function startInventoryNode(options: NodeBase & { store: EventStore; reservationTtlMs: number; limitedThreshold: number; expiryCheckIntervalMs: number }) {
  const { store, bus, clock, logger } = options;
  const inventory = createInventoryService({
    store,
    clock,
    reservationTtlMs: options.reservationTtlMs,
    limitedThreshold: options.limitedThreshold,
    expiryCheckIntervalMs: options.expiryCheckIntervalMs,
    onExpiryError: (error, checkoutId) => logger.warn({ err: error, checkoutId }, 'reservation expiry failed; retrying on the next pass'),
  });
  await inventory.start();
  const relay = relayFor('inventory-outbox', store, bus, logger, ['reservation-', 'stock-'], inventory.outbox, [TOPICS.stockLevels]);
  relay.start();
  // Many checkouts in flight at once is what lets the writer group-commit them.
  const consumer = await bus.subscribe({
    groupId: 'inventory-service',
    topics: [TOPICS.inventoryCommands],
    concurrency: 1000,
    handler: inventory.commandHandler.messageHandler,
  });
  return {
    inventory,
    facade: inventory.facade,
    availability: {
      available: async (skus: readonly string[]) => new Map(await Promise.all(skus.map(async (sku) => [sku, (await inventory.queries.getStock(sku))?.available] as const))),
    } satisfies StockAvailability,
    close: () => closeAll([consumer, inventory, relay]),
  };
}

export async function startOrderingNode(options: NodeBase & { store: EventStore; paymentTimeoutMs: number; paymentGateway?: PaymentGateway }) {
  const { store, bus, clock, logger } = options;
  const ordering = createOrderingService({
    store,
    clock,
    paymentTimeoutMs: options.paymentTimeoutMs,
    ...(options.paymentGateway ? { paymentGateway: options.paymentGateway } : {}),
  });
  const relay = relayFor('orders-outbox', store, bus, logger, ordering.streamPrefixes, ordering.outbox);
  relay.start();
  const consumers: Subscription[] = [
    await bus.subscribe({ groupId: 'order-service', topics: [TOPICS.checkoutRequested], concurrency: 500, handler: async (m) => void (await ordering.service.handleCheckoutRequested(m.value)) }),
    await bus.subscribe({ groupId: 'order-service-saga', topics: [TOPICS.inventoryEvents], concurrency: 1000, handler: (m) => ordering.service.handleInventoryEvent(m.value) }),
    await bus.subscribe({ groupId: 'order-service-payments', topics: [TOPICS.paymentCommands], concurrency: 1000, handler: (m) => ordering.service.handlePaymentCommand(m.value) }),
  ];
  return {
    ordering,
    facade: {
      placeOrder: async (request: Parameters<typeof ordering.service.placeOrder>[0]) => ({ orderId: (await ordering.service.placeOrder(request)).orderId }),
      getOrder: (orderId: string) => ordering.service.getOrder(orderId),
      cancelOrder: (orderId: string) => ordering.service.cancelOrder(orderId),
    },
    close: () => closeAll([...consumers, relay]),
  };
}

export async function startCartNode(options: NodeBase & { availability: StockAvailability; limitedThreshold: number; carts?: CartRepository }) {
  const { bus, clock } = options;
  const carts = new CartService({ carts: options.carts ?? new InMemoryCartRepository(), stock: options.availability, bus, clock, limitedThreshold: options.limitedThreshold });
  const consumer = await bus.subscribe({ groupId: 'cart-service', topics: [TOPICS.orderEvents], concurrency: 200, handler: (m) => carts.handleOrderOutcome(m.value) });
  return { facade: carts, close: () => closeAll([consumer]) };
}
