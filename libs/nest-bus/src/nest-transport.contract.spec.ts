import { InMemoryMessageBus } from '@stockade/messaging';
import { describeMessageBusContract } from '@stockade/messaging/testing';
import { throughNestTransport } from './testing/nest-transport-bus';

// The whole MessageBus contract, every handler an @EventPattern method behind MessageBusServer.
describeMessageBusContract('Nest transport over the in-memory bus', async () =>
  throughNestTransport(new InMemoryMessageBus()),
);
