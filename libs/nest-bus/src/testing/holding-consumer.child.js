'use strict';

/**
 * A Nest consumer for the crash test, run as its own OS process so the test can SIGKILL it
 * (libs/nest-bus/src/testing/holding-consumer-process.ts starts it). It serves one @EventPattern
 * handler on MessageBusServer over KafkaMessageBus; the handler reports each message it gets and
 * then never finishes, so the offset can never be committed before the process dies.
 *
 * Plain CommonJS on the compiled dist/ (`npm run build`; `npm test` builds first), because there is
 * no TypeScript loader outside Jest: ts-jest transpiles only inside Jest, and there is no ts-node.
 * Hence the decorators are applied by calling them, which is what TypeScript compiles them to.
 *
 * Argument: JSON { modules: { nestBus, kafkaBus }, busOptions, topic, groupId, lifetimeMs }, where
 * `modules` are the compiled entry points (the parent checks they exist). Protocol: one JSON line
 * per event on stdout, {"event":"listening"} once the handler joined its group, then
 * {"event":"received", topic, partition, offset, key, value} per message the handler holds.
 */

function report(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

async function main() {
  const { modules, busOptions, topic, groupId, lifetimeMs } = JSON.parse(process.argv[2]);
  // A safety net, not part of the test: never outlive a test run that forgot this process.
  setTimeout(() => process.exit(3), lifetimeMs).unref();
  process.stdin.on('close', () => process.exit(4)).resume();

  require('reflect-metadata');
  const { Module } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  const { Ctx, EventPattern } = require('@nestjs/microservices');
  const { KafkaMessageBus } = require(modules.kafkaBus);
  const { MessageBusServer, MessageController, consumerGroup } = require(modules.nestBus);

  class HoldingHandlers {
    /** Has the message, says so, and never finishes: the process dies with it in flight. */
    hold(context) {
      const { topic: from, partition, offset, key, value } = context.getMessage();
      report({ event: 'received', topic: from, partition, offset, key, value });
      return new Promise(() => undefined);
    }
  }
  Ctx()(HoldingHandlers.prototype, 'hold', 0);
  EventPattern(topic, consumerGroup(groupId))(
    HoldingHandlers.prototype,
    'hold',
    Object.getOwnPropertyDescriptor(HoldingHandlers.prototype, 'hold'),
  );
  MessageController()(HoldingHandlers);
  class HoldingModule {}
  Module({ controllers: [HoldingHandlers] })(HoldingModule);

  const bus = await KafkaMessageBus.connect(busOptions);
  const app = await NestFactory.createMicroservice(HoldingModule, {
    strategy: new MessageBusServer(bus),
    logger: false,
    abortOnError: false,
  });
  await app.listen();
  report({ event: 'listening' });
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
