import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceLimits, Worker } from 'node:worker_threads';
import type { InventoryFacade } from '@stockade/inventory-nest';
import type { StockAvailability } from '@stockade/cart-service';
import { StockadeError } from '@stockade/kernel';
import type { MessageHandoff } from '@stockade/messaging';
import type { StockadeConfig } from '@stockade/runtime';
import {
  FromInventoryThread,
  InventoryMethod,
  InventoryThreadApi,
  InventoryWorkerSettings,
  MetricsSnapshot,
  reviveError,
  ToInventoryThread,
} from './inventory-bridge-protocol';

/** The compiled worker entry; it exists only when running from dist (a Worker cannot load .ts). */
export const INVENTORY_WORKER_FILE = join(__dirname, 'inventory-worker.js');

export function inventoryWorkerAvailable(): boolean {
  return existsSync(INVENTORY_WORKER_FILE);
}

/** The thread's V8 heap limits from the configuration: past them the thread dies, and with it the process (see onCrash). */
export function inventoryThreadLimits(
  config: Pick<
    StockadeConfig,
    'STOCKADE_INVENTORY_THREAD_MAX_OLD_GENERATION_MB' | 'STOCKADE_INVENTORY_THREAD_MAX_YOUNG_GENERATION_MB'
  >,
): ResourceLimits {
  return {
    maxOldGenerationSizeMb: config.STOCKADE_INVENTORY_THREAD_MAX_OLD_GENERATION_MB,
    maxYoungGenerationSizeMb: config.STOCKADE_INVENTORY_THREAD_MAX_YOUNG_GENERATION_MB,
  };
}

export interface InventoryThread {
  readonly facade: InventoryFacade;
  readonly availability: StockAvailability;
  headPosition(): Promise<number>;
  /** The thread's own metrics (its consumers' lag, its relay, expiries). */
  metricsSnapshot(): Promise<MetricsSnapshot>;
  /** Tells the thread's bus that this side appended to these partitions of the shared log. */
  appendedElsewhere(topic: string, partitions: readonly number[]): void;
  /** Stops the node on its thread (consumer, relay, writer), closes its stores, then ends the thread. */
  close(): Promise<void>;
}

export interface InventoryThreadOptions {
  /** Which script to run; tests point it at a stand-in. */
  readonly workerFile?: string;
  /** Also for tests: evaluate `workerFile` as code rather than load it as a path. */
  readonly evalWorker?: boolean;
  /**
   * Called once if the thread dies outside close(). The embedded runner exits the process: half a
   * system (HTTP up, inventory gone) must not keep answering.
   */
  readonly onCrash: (error: Error) => void;
  /** The thread's bus appended to these partitions of the shared log. */
  readonly onAppended?: (topic: string, partitions: readonly number[]) => void;
  /** This thread's handoff, linked to the inventory thread's for the topics of `settings.handoffTopics` (ADR 0031). */
  readonly handoff?: MessageHandoff;
}

/**
 * Starts the inventory node on a worker thread and returns its facades, each call a request over
 * postMessage answered by id. Errors come back as the same typed errors (see reviveError).
 */
export async function startInventoryThread(
  settings: InventoryWorkerSettings,
  options: InventoryThreadOptions,
): Promise<InventoryThread> {
  const worker = new Worker(options.workerFile ?? INVENTORY_WORKER_FILE, {
    workerData: settings,
    eval: options.evalWorker ?? false,
    resourceLimits: inventoryThreadLimits(settings.config),
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let state: 'starting' | 'running' | 'closing' | 'closed' | 'crashed' = 'starting';
  let settleStart: { resolve: () => void; reject: (error: Error) => void } | undefined;
  let settleClose: { resolve: () => void; reject: (error: Error) => void } | undefined;

  // Linked before the thread starts: its consumers announce themselves while its Nest app starts.
  options.handoff?.link((wire) => worker.postMessage({ kind: 'handoff', wire } satisfies ToInventoryThread));
  const died = (error: Error) => {
    if (state === 'closed' || state === 'crashed') return;
    options.handoff?.unlink();
    const wasRunning = state === 'running';
    state = 'crashed';
    for (const request of pending.values())
      request.reject(
        new StockadeError('UNAVAILABLE', 'the inventory thread stopped', { retriable: true, cause: error }),
      );
    pending.clear();
    settleStart?.reject(error);
    settleClose?.reject(error);
    if (wasRunning) options.onCrash(error);
  };

  worker.on('message', (message: FromInventoryThread) => {
    switch (message.kind) {
      case 'ready':
        state = 'running';
        return settleStart?.resolve();
      case 'start-failed':
        state = 'crashed';
        void worker.terminate();
        return settleStart?.reject(reviveError(message.error));
      case 'result':
        pending.get(message.id)?.resolve(message.value);
        pending.delete(message.id);
        return;
      case 'failure':
        pending.get(message.id)?.reject(reviveError(message.error));
        pending.delete(message.id);
        return;
      case 'appended':
        return options.onAppended?.(message.topic, message.partitions);
      case 'handoff':
        return options.handoff?.receive(message.wire);
      case 'closed':
        state = 'closed';
        options.handoff?.unlink();
        void worker.terminate().then(
          () => settleClose?.resolve(),
          (error: Error) => settleClose?.reject(error),
        );
        return;
      default: {
        const unknownMessage: never = message;
        throw new Error(`unknown message from the inventory thread: ${JSON.stringify(unknownMessage)}`);
      }
    }
  });
  worker.on('error', died);
  worker.on('exit', (code) => died(new Error(`the inventory thread exited with code ${code}`)));

  await new Promise<void>((resolve, reject) => (settleStart = { resolve, reject }));

  const call = <M extends InventoryMethod>(
    method: M,
    ...args: Parameters<InventoryThreadApi[M]>
  ): ReturnType<InventoryThreadApi[M]> => {
    if (state !== 'running')
      return Promise.reject(
        new StockadeError('UNAVAILABLE', `the inventory thread is ${state}`, { retriable: true }),
      ) as ReturnType<InventoryThreadApi[M]>;
    const id = nextId++;
    const answer = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    worker.postMessage({ kind: 'call', id, method, args } satisfies ToInventoryThread);
    return answer as ReturnType<InventoryThreadApi[M]>;
  };

  let closed: Promise<void> | undefined;
  return {
    facade: {
      getStock: (sku) => call('getStock', sku),
      receiveStock: (sku, quantity, purchaseOrderId) => call('receiveStock', sku, quantity, purchaseOrderId),
      configureStock: (sku, settings) => call('configureStock', sku, settings),
      setListing: (sku, listing) => call('setListing', sku, listing),
      listReplenishment: () => call('listReplenishment'),
      adjustStock: (sku, delta, reason) => call('adjustStock', sku, delta, reason),
      listStock: (query) => call('listStock', query),
      listCatalog: (query) => call('listCatalog', query),
    },
    availability: { offers: (skus) => call('offers', skus) },
    headPosition: () => call('headPosition'),
    metricsSnapshot: () => call('metricsSnapshot'),
    appendedElsewhere: (topic, partitions) => {
      if (state === 'running') worker.postMessage({ kind: 'appended', topic, partitions } satisfies ToInventoryThread);
    },
    close: () =>
      (closed ??= new Promise<void>((resolve, reject) => {
        if (state !== 'running') return resolve();
        state = 'closing';
        settleClose = { resolve, reject };
        worker.postMessage({ kind: 'close' } satisfies ToInventoryThread);
      })),
  };
}
