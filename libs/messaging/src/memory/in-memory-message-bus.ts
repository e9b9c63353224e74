import { LogBackedMessageBus } from '../engine/log-backed-message-bus';
import type { LogBackedMessageBusOptions } from '../engine/log-backed-message-bus';
import { InMemoryMessageLog } from './in-memory-message-log';

export type InMemoryMessageBusOptions = LogBackedMessageBusOptions;

/**
 * The bus for unit tests and single-process runs that need no durability: the same delivery
 * engine as the SQLite bus, over a log in memory.
 */
export class InMemoryMessageBus extends LogBackedMessageBus {
  constructor(options: InMemoryMessageBusOptions = {}) {
    super(new InMemoryMessageLog(), options);
  }
}
