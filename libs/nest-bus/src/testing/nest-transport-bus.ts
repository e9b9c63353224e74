import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { BusBacklog, hasBacklog, MessageBus, SubscribeOptions, Subscription } from '@stockade/messaging';
import { BusContext } from '../bus-context';
import { MessageBusClient } from '../message-bus-client';
import { MessageBusServer } from '../message-bus-server';
import { MessageController } from '../pass-errors-to-bus.filter';

/**
 * The MessageBus contract seen through Nest: every `subscribe` starts a Nest microservice on
 * MessageBusServer whose one `@EventPattern` controller calls the contract's handler with the
 * message from its BusContext, and every `publish` goes through MessageBusClient.emit. Run
 * through `describeMessageBusContract`, it proves that routing through Nest (its handler proxy,
 * exception filters and context) keeps every delivery guarantee of the bus underneath.
 */
export function throughNestTransport(bus: MessageBus): MessageBus {
  const client = new MessageBusClient(bus);
  // Lag and depth are the bus's own, whatever routes the handlers: passed through as they are.
  const backlog: Partial<BusBacklog> = hasBacklog(bus)
    ? {
        consumerLag: (group, topics) => bus.consumerLag(group, topics),
        retainedMessages: (topics) => bus.retainedMessages(topics),
      }
    : {};
  return {
    ...backlog,
    publish: (topic, messages) => client.emitAndWait(topic, messages),
    subscribe: (options) => subscribeThroughNest(bus, options),
    checkConnection: () => bus.checkConnection(),
    close: () => bus.close(),
  };
}

async function subscribeThroughNest(bus: MessageBus, options: SubscribeOptions): Promise<Subscription> {
  const { topics, handler, ...consumer } = options;

  @MessageController()
  class ContractHandlers {
    @EventPattern([...topics], consumer)
    handle(@Ctx() context: BusContext): Promise<void> {
      return handler(context.getMessage());
    }
  }

  @Module({ controllers: [ContractHandlers] })
  class ContractModule {}

  const app = await NestFactory.createMicroservice(ContractModule, {
    strategy: new MessageBusServer(bus),
    logger: false,
    abortOnError: false,
  });
  await app.listen();
  return { close: () => app.close() };
}
