import { describeMessageBusContract } from '../testing/message-bus-contract';
import { InMemoryMessageBus } from './in-memory-message-bus';

describeMessageBusContract('in-memory', async () => new InMemoryMessageBus());
