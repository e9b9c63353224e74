import 'reflect-metadata';
import { INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Headers } from '@stockade/messaging';
import { KafkaMessageBus } from '@stockade/messaging/kafka';
import { describeMessageBusContract, waitUntil } from '@stockade/messaging/testing';
import { BusContext } from './bus-context';
import { consumerGroup } from './bus-consumer-options';
import { MessageBusClient } from './message-bus-client';
import { MessageBusServer } from './message-bus-server';
import { MessageController } from './pass-errors-to-bus.filter';
import {
  failUnlessBrokerReachable,
  KAFKA_TEST_TIMEOUT_MS,
  kafkaBusOptions,
  randomGroup,
  randomTopic,
} from './testing/kafka-test-broker';
import { throughNestTransport } from './testing/nest-transport-bus';

beforeAll(failUnlessBrokerReachable);

// The whole MessageBus contract on a real broker, every handler an @EventPattern method behind MessageBusServer.
describeMessageBusContract('Nest transport over Kafka (kafkajs)', async () =>
  throughNestTransport(await KafkaMessageBus.connect(kafkaBusOptions())),
);

describe('MessageBusServer on a Kafka broker', () => {
  let bus: KafkaMessageBus;
  let apps: INestMicroservice[];

  beforeEach(async () => {
    bus = await KafkaMessageBus.connect(kafkaBusOptions());
    apps = [];
  });

  afterEach(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await bus.close();
  });

  /** Starts the module's @EventPattern handlers as a Nest microservice and returns once they joined their groups. */
  async function serve(module: new () => unknown): Promise<void> {
    const app = await NestFactory.createMicroservice(module, {
      strategy: new MessageBusServer(bus),
      logger: false,
      abortOnError: false,
    });
    apps.push(app);
    await app.listen();
  }

  it(
    'given a message published with a key, a correlation id and a traceparent, when its handler fails once, then the handler reads the same key and headers from its BusContext on attempt 1 and on the retry, attempt 2',
    async () => {
      const topic = randomTopic();
      const seen: Array<{ key: string; headers: Headers; attempt: number; payload: string }> = [];

      @MessageController()
      class OrderEventHandlers {
        @EventPattern(topic, consumerGroup(randomGroup(), { retryBackoffMs: 10 }))
        async onOrderEvent(@Payload() payload: string, @Ctx() context: BusContext): Promise<void> {
          seen.push({ key: context.getKey(), headers: context.getHeaders(), attempt: context.getAttempt(), payload });
          // A plain Error is retriable: the bus must deliver the same message again, with its context.
          if (context.getAttempt() === 1) throw new Error('downstream not ready yet');
        }
      }
      @Module({ controllers: [OrderEventHandlers] })
      class OrderEventsModule {}
      await serve(OrderEventsModule);
      const headers = {
        'x-correlation-id': 'corr-7f3a',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      };

      await new MessageBusClient(bus).emitAndWait(topic, {
        key: 'order-42',
        value: { orderId: 'order-42', status: 'COMPLETED' },
        headers,
      });

      await waitUntil(() => seen.length >= 2, 'the handler saw the message twice');
      const payload = JSON.stringify({ orderId: 'order-42', status: 'COMPLETED' });
      expect(seen).toEqual([
        { key: 'order-42', headers, attempt: 1, payload },
        { key: 'order-42', headers, attempt: 2, payload },
      ]);
    },
    KAFKA_TEST_TIMEOUT_MS,
  );

  it(
    'given two @EventPattern handlers of one topic in two consumer groups, when messages are published, then each handler receives every message',
    async () => {
      const topic = randomTopic();
      const byCartService: number[] = [];
      const byAuditLog: number[] = [];

      @MessageController()
      class OrderEventHandlers {
        @EventPattern(topic, consumerGroup(randomGroup()))
        async updateCarts(@Payload() payload: string): Promise<void> {
          byCartService.push(JSON.parse(payload) as number);
        }

        @EventPattern(topic, consumerGroup(randomGroup()))
        async appendToAuditLog(@Payload() payload: string): Promise<void> {
          byAuditLog.push(JSON.parse(payload) as number);
        }
      }
      @Module({ controllers: [OrderEventHandlers] })
      class OrderEventsModule {}
      await serve(OrderEventsModule);

      await new MessageBusClient(bus).emitAndWait(
        topic,
        Array.from({ length: 30 }, (_, n) => ({ key: `order-${n % 7}`, value: n })),
      );

      await waitUntil(() => byCartService.length >= 30 && byAuditLog.length >= 30, 'both handlers received all 30');
      const all = Array.from({ length: 30 }, (_, n) => n);
      expect([...byCartService].sort((a, b) => a - b)).toEqual(all);
      expect([...byAuditLog].sort((a, b) => a - b)).toEqual(all);
    },
    KAFKA_TEST_TIMEOUT_MS,
  );

  // A service reads several topics in its one consumer group. On Kafka the members of a group must
  // subscribe to the same topics: kafkajs' group leader hands out only the partitions of its own
  // topics, and members drop partitions of topics they did not subscribe to.
  it(
    'given two @EventPattern handlers of different topics in one consumer group, when messages are published to both topics, then each handler receives every message of its topic',
    async () => {
      const [inventoryEvents, paymentEvents] = [randomTopic(), randomTopic()];
      const orderService = randomGroup();
      const fromInventory: number[] = [];
      const fromPayments: number[] = [];

      @MessageController()
      class OrderSagaHandlers {
        @EventPattern(inventoryEvents, consumerGroup(orderService))
        async onInventoryEvent(@Payload() payload: string): Promise<void> {
          fromInventory.push(JSON.parse(payload) as number);
        }

        @EventPattern(paymentEvents, consumerGroup(orderService))
        async onPaymentEvent(@Payload() payload: string): Promise<void> {
          fromPayments.push(JSON.parse(payload) as number);
        }
      }
      @Module({ controllers: [OrderSagaHandlers] })
      class OrderSagaModule {}
      await serve(OrderSagaModule);
      const client = new MessageBusClient(bus);

      await client.emitAndWait(
        inventoryEvents,
        Array.from({ length: 12 }, (_, n) => ({ key: `order-${n}`, value: n })),
      );
      await client.emitAndWait(
        paymentEvents,
        Array.from({ length: 12 }, (_, n) => ({ key: `order-${n}`, value: n })),
      );

      // On a timeout the assertion below still runs, so a failure shows what each handler did get.
      await waitUntil(
        () => fromInventory.length >= 12 && fromPayments.length >= 12,
        'both handlers received all 12 of their topic',
        20_000,
      ).catch(() => undefined);
      const all = Array.from({ length: 12 }, (_, n) => n);
      expect({
        fromInventory: [...fromInventory].sort((a, b) => a - b),
        fromPayments: [...fromPayments].sort((a, b) => a - b),
      }).toEqual({ fromInventory: all, fromPayments: all });
    },
    KAFKA_TEST_TIMEOUT_MS,
  );
});
