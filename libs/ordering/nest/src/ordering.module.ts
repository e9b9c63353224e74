import { hostname } from 'node:os';
import { DynamicModule, Module } from '@nestjs/common';
import type { EventStore } from '@stockade/event-store';
import type { Clock } from '@stockade/kernel';
import {
  createOrderingService,
  deploymentPaymentSimulator,
  OrdersInFlight,
  PaymentGateway,
} from '@stockade/ordering-service';
import type { Tracer } from '@opentelemetry/api';
import {
  CLOCK,
  Logger,
  LOGGER,
  openEventStore,
  STOCKADE_CONFIG,
  STOCKADE_METRICS,
  StockadeConfig,
  StockadeMetrics,
  TRACER,
  tracedStore,
} from '@stockade/runtime';
import { CheckoutAdmission } from './checkout-admission';
import { channelCheckoutsController } from './channel-checkouts.controller';
import { OrderingLifecycle } from './ordering-lifecycle';
import { OrderingMessagesController } from './ordering-messages.controller';
import { orderOutcomesController } from './order-outcomes.controller';
import {
  CHECKOUT_ADMISSION,
  ORDERING,
  ORDERING_EVENT_STORE,
  ORDERS_IN_FLIGHT,
  PAYMENT_GATEWAY,
} from './ordering.tokens';
import { OrdersController } from './orders.controller';
import { ORDERS_FACADE, OrdersFacade } from './orders.facade';

export interface OrderingModuleOptions {
  /** The group this process counts outcomes in (default: one per host and process). */
  readonly outcomesGroupId?: string;
  /** In place of the simulator (the embedded runner's tests pass one; a deployment would bind a real gateway). */
  readonly paymentGateway?: PaymentGateway;
  /**
   * The sales channels whose own topics (`checkout.requested.<channel>`) this service reads
   * (salesChannelsOf(config); ADR 0023), and, on Kafka, to whose `order.events.<channel>` its relay
   * sends their orders' outcomes. Default none: checkout.requested and order.events alone, as before channels.
   */
  readonly channels?: readonly string[];
}

/**
 * The order service: order streams and the saga (placed → reserved → paid → completed, or
 * compensated), its outbox relay, the handlers of every topic it consumes (each sales channel's
 * checkout topic too), and the order HTTP routes; checkouts by HTTP and by topic pass one
 * admission (back-pressure). Payments go through PAYMENT_GATEWAY, the
 * simulator unless a test or a deployment provides another.
 */
@Module({})
export class OrderingModule {
  static register(options: OrderingModuleOptions = {}): DynamicModule {
    return {
      module: OrderingModule,
      controllers: [
        OrderingMessagesController,
        ...(options.channels ?? []).map(channelCheckoutsController),
        orderOutcomesController(options.outcomesGroupId ?? `order-outcomes-${hostname()}`),
        OrdersController,
      ],
      providers: [
        {
          provide: ORDERING_EVENT_STORE,
          useFactory: async (config: StockadeConfig, clock: Clock, tracer: Tracer | null) =>
            tracedStore(await openEventStore(config, { file: 'orders.db', schema: 'ordering' }, clock), tracer),
          inject: [STOCKADE_CONFIG, CLOCK, TRACER],
        },
        {
          provide: PAYMENT_GATEWAY,
          useFactory: (config: StockadeConfig) =>
            options.paymentGateway ??
            deploymentPaymentSimulator({ slowTokens: config.STOCKADE_PAYMENT_SIMULATOR_SLOW_TOKENS }),
          inject: [STOCKADE_CONFIG],
        },
        {
          provide: ORDERING,
          useFactory: (
            store: EventStore,
            clock: Clock,
            paymentGateway: PaymentGateway,
            config: StockadeConfig,
            metrics: StockadeMetrics,
            logger: Logger,
          ) =>
            createOrderingService({
              store,
              clock,
              paymentGateway,
              paymentTimeoutMs: config.STOCKADE_PAYMENT_TIMEOUT_MS,
              inlinePaymentWaitMs: config.STOCKADE_PAYMENT_INLINE_WAIT_MS,
              onInlinePaymentFailed: (error, orderId) =>
                logger.warn(
                  { err: error, orderId },
                  'payment gateway failed inline; the order pays through an AuthorizePayment command instead (retried)',
                ),
              telemetry: { record: (signals) => metrics.recordSaga(signals) },
              inventoryShards: config.STOCKADE_INVENTORY_SHARDS,
              partsAnswerTimeoutMs: config.STOCKADE_RESERVATION_ANSWER_TIMEOUT_MS,
              onPartsAnswerTimedOut: (orderId, waitedMs) =>
                logger.warn(
                  { orderId, waitedMs },
                  'order rejected: a part of it had no answer from its inventory shard in time (is every shard owned?); its held parts are released',
                ),
              onPartsAnswerError: (error, orderId) =>
                logger.warn(
                  { err: error, orderId },
                  'could not report the answer deadline of an order in parts; retrying on the next pass',
                ),
              channels: outcomeChannels(config, options.channels ?? []),
            }),
          inject: [ORDERING_EVENT_STORE, CLOCK, PAYMENT_GATEWAY, STOCKADE_CONFIG, STOCKADE_METRICS, LOGGER],
        },
        {
          provide: ORDERS_IN_FLIGHT,
          useFactory: (metrics: StockadeMetrics) => {
            const inFlight = new OrdersInFlight();
            metrics.readOrdersInFlight(() => inFlight.count());
            return inFlight;
          },
          inject: [STOCKADE_METRICS],
        },
        {
          provide: CHECKOUT_ADMISSION,
          useFactory: (
            ordering: ReturnType<typeof createOrderingService>,
            metrics: StockadeMetrics,
            config: StockadeConfig,
            inFlight: OrdersInFlight,
          ) =>
            new CheckoutAdmission(ordering.service, inFlight, config.STOCKADE_MAX_ORDERS_IN_FLIGHT, {
              accepted: (orderId) => metrics.orderAccepted(orderId),
              refused: (reason) => metrics.checkoutRefused(reason),
            }),
          inject: [ORDERING, STOCKADE_METRICS, STOCKADE_CONFIG, ORDERS_IN_FLIGHT],
        },
        {
          provide: ORDERS_FACADE,
          useFactory: (
            ordering: ReturnType<typeof createOrderingService>,
            admission: CheckoutAdmission,
          ): OrdersFacade => ({
            placeOrder: (request) => admission.placeOrder(request),
            getOrder: (orderId) => ordering.service.getOrder(orderId),
            cancelOrder: (orderId) => ordering.service.cancelOrder(orderId),
          }),
          inject: [ORDERING, CHECKOUT_ADMISSION],
        },
        OrderingLifecycle,
      ],
      exports: [ORDERS_FACADE, ORDERING, ORDERING_EVENT_STORE],
    };
  }
}

/**
 * The channels whose outcomes get a topic of their own: on Kafka, every channel. A channel's outcomes
 * topic exists for a principal the broker's ACLs let read it and nothing else; the SQLite log (the
 * embedded runner, services run apart on one file) has no principals, no channel reads it, and it
 * keeps a topic no consumer group reads for ever, so there it would only grow.
 */
function outcomeChannels(config: StockadeConfig, channels: readonly string[]): readonly string[] {
  return config.STOCKADE_BUS === 'kafka' ? channels : [];
}
