import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '@stockade/event-store/sqlite';
import { systemClock } from '@stockade/kernel';
import { SqliteMessageBus } from '@stockade/messaging/sqlite';
import { createLogger } from '../logger';
import { startInventoryNode } from '../service-nodes';
import { carryError, FromInventoryThread, InventoryThreadApi, InventoryWorkerSettings, ToInventoryThread } from './inventory-bridge-protocol';

/**
 * The inventory node on a thread of its own (worker_threads entry; loaded only from dist, as a
 * Worker cannot run TypeScript). better-sqlite3 connections belong to the thread that opened them,
 * so this thread opens its own connections to the same files; WAL lets both threads use them.
 * Uncaught errors are deliberately not caught here: they end the worker, and the main thread
 * turns that into a process crash.
 */
async function serveInventory(port: NonNullable<typeof parentPort>, settings: InventoryWorkerSettings): Promise<void> {
  const send = (message: FromInventoryThread) => port.postMessage(message);
  const logger = createLogger(settings.logLevel, 'stockade-inventory');
  const store = SqliteEventStore.open(join(settings.dataDir, 'inventory.db'), { clock: systemClock });
  const bus = SqliteMessageBus.open(join(settings.dataDir, 'messages.db'), {
    clock: systemClock,
    // The ordering side commits on another connection and says so (appended news); polling is the safety net.
    pollIntervalMs: settings.busPollIntervalMs,
    onConsumerError: (error: unknown) => logger.warn({ err: error }, 'message log read failed; retrying'),
  });
  let node: Awaited<ReturnType<typeof startInventoryNode>>;
  try {
    node = await startInventoryNode({ bus, clock: systemClock, logger, store, ...settings });
  } catch (error) {
    await bus.close();
    await store.close();
    send({ kind: 'start-failed', error: carryError(error) });
    return;
  }

  const api: InventoryThreadApi = { ...node.facade, ...node.availability, headPosition: () => store.headPosition() };
  bus.onAppended((topic, partitions) => send({ kind: 'appended', topic, partitions }));
  port.on('message', (message: ToInventoryThread) => {
    switch (message.kind) {
      case 'call': {
        const method = api[message.method] as (...args: readonly unknown[]) => Promise<unknown>;
        method(...message.args).then(
          (value) => send({ kind: 'result', id: message.id, value }),
          (error: unknown) => send({ kind: 'failure', id: message.id, error: carryError(error) }),
        );
        return;
      }
      case 'appended':
        return bus.appendedElsewhere(message.topic, message.partitions);
      case 'close':
        // Consumer, relay and writer first (they flush into the stores), then the connections.
        void (async () => {
          await node.close();
          await bus.close();
          await store.close();
          send({ kind: 'closed' });
        })();
        return;
      default: {
        const unknownMessage: never = message;
        throw new Error(`unknown message to the inventory thread: ${JSON.stringify(unknownMessage)}`);
      }
    }
  });
  send({ kind: 'ready' });
}

if (!parentPort) throw new Error('inventory-worker runs as a worker thread only');
void serveInventory(parentPort, workerData as InventoryWorkerSettings);
