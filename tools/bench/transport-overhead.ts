import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { InMemoryMessageBus, IncomingMessage, MessageHandler } from '@stockade/messaging';
import { BusContext, consumerGroup, MessageBusServer, MessageController } from '@stockade/nest-bus';

export interface TransportOverhead {
  readonly messages: number;
  /** How long each handler waits before it finishes (0: at once; 1: a millisecond, like a group commit). */
  readonly handlerWaitMs: number;
  /** CPU per message with the handler subscribed on the bus directly (the bus's own cost). */
  readonly busAloneMicrosPerMessage: number;
  /** CPU per message with the same handler as an @EventPattern method behind MessageBusServer. */
  readonly throughNestMicrosPerMessage: number;
  readonly nestOverheadMicrosPerMessage: number;
}

/**
 * A wait shared by every handler in flight, over after `waitMs` (none for 0): what a handler
 * waiting for a group commit looks like to the GC, which pays for every promise kept alive.
 */
function sharedWait(waitMs: number): { wait(): Promise<void> | undefined; stop(): void } {
  if (waitMs === 0) return { wait: () => undefined, stop: () => undefined };
  let release: () => void = () => undefined;
  let current = new Promise<void>((resolve) => (release = resolve));
  const timer = setInterval(() => {
    release();
    current = new Promise<void>((resolve) => (release = resolve));
  }, waitMs);
  return { wait: () => current, stop: () => clearInterval(timer) };
}

const TOPIC = 'bench.transport';

/** CPU (user + system) spent until `count` messages published on 2,000 keys were handled. */
async function cpuMicrosToHandle(bus: InMemoryMessageBus, count: number, handled: () => number): Promise<number> {
  const before = process.cpuUsage();
  const batch = 500;
  for (let sent = 0; sent < count; sent += batch) {
    await bus.publish(
      TOPIC,
      Array.from({ length: Math.min(batch, count - sent) }, (_, i) => ({
        key: `key-${(sent + i) % 2000}`,
        value: { n: sent + i },
      })),
    );
  }
  while (handled() < count) await new Promise((resolve) => setTimeout(resolve, 1));
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

/**
 * What routing a message through Nest costs on top of the bus: the same no-op handler (it reads
 * the key from its context), subscribed directly and as an `@EventPattern` behind the transport,
 * on the in-memory bus, same concurrency. (A global guard would run on every message too: HTTP
 * access is decided in Fastify's onRequest hook for that reason, see access-gate.ts.) Measured in CPU time so the other processes on the
 * machine do not count.
 */
export async function measureTransportOverhead(messages: number, handlerWaitMs: number): Promise<TransportOverhead> {
  const pause = sharedWait(handlerWaitMs);
  let direct = 0;
  const plainBus = new InMemoryMessageBus();
  const handler: MessageHandler = async (message: IncomingMessage) => {
    await pause.wait();
    if (message.key) direct++;
  };
  const subscription = await plainBus.subscribe({ groupId: 'bench', topics: [TOPIC], concurrency: 1000, handler });
  await cpuMicrosToHandle(plainBus, 2_000, () => direct); // warm-up
  direct = 0;
  const busAlone = await cpuMicrosToHandle(plainBus, messages, () => direct);
  await subscription.close();
  await plainBus.close();

  let routed = 0;
  @MessageController()
  class BenchHandlers {
    @EventPattern(TOPIC, consumerGroup('bench', { concurrency: 1000 }))
    async handle(@Payload() _value: string, @Ctx() context: BusContext): Promise<void> {
      await pause.wait();
      if (context.getKey()) routed++;
    }
  }
  @Module({ controllers: [BenchHandlers] })
  class BenchModule {}
  const nestBus = new InMemoryMessageBus();
  const app = await NestFactory.createMicroservice(BenchModule, {
    strategy: new MessageBusServer(nestBus),
    logger: false,
  });
  await app.listen();
  await cpuMicrosToHandle(nestBus, 2_000, () => routed); // warm-up
  routed = 0;
  const throughNest = await cpuMicrosToHandle(nestBus, messages, () => routed);
  await app.close();
  await nestBus.close();
  pause.stop();

  const perMessage = (micros: number) => Math.round((micros / messages) * 100) / 100;
  return {
    messages,
    handlerWaitMs,
    busAloneMicrosPerMessage: perMessage(busAlone),
    throughNestMicrosPerMessage: perMessage(throughNest),
    nestOverheadMicrosPerMessage: perMessage(throughNest - busAlone),
  };
}
