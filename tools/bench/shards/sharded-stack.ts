import type { ChildProcessSystem } from '../../client/child-process-system';
import { DistributedStack } from '../../client/distributed-stack';
import { OutcomeWatcher } from '../arms/outcome-watcher';
import { receiveStock } from '../arms/stockade-stock';

export interface ShardedStack {
  readonly stack: DistributedStack;
  readonly inventories: readonly ChildProcessSystem[];
  readonly outcomes: OutcomeWatcher;
  readonly pgUrl: string;
  stop(): Promise<void>;
}

export interface ShardedStackOptions {
  readonly pgUrl: string;
  readonly kafkaBrokers: string;
  readonly shards: number;
  readonly instances: number;
  /** Received before the other instances join, while the first still owns every shard. */
  readonly stock: ReadonlyMap<string, number>;
}

/**
 * A fresh distributed stack with `instances` inventory-service processes in one consumer group,
 * ready to measure: stocked, and every shard owned by exactly one instance. The session timeout is
 * short so that a rebalance the bench waits for takes seconds, not the default half minute.
 */
export async function startShardedStack(
  options: ShardedStackOptions,
  onStop: (stop: () => Promise<void>) => void = () => undefined,
): Promise<ShardedStack> {
  const shards = String(options.shards);
  const stack = new DistributedStack(
    options.pgUrl,
    {
      STOCKADE_INVENTORY_SHARDS: shards,
      KAFKA_TOPIC_PARTITIONS: shards,
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    },
    options.kafkaBrokers,
  );
  const outcomes = new OutcomeWatcher(stack.kafka, stack.topic('order.events'));
  // Once only: an interrupt and the failure it causes in the run may both ask.
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await outcomes.stop().catch(() => undefined);
      await stack.stop();
    })());
  // Handed out before anything starts, so an interrupt during a slow start still stops what did.
  onStop(stop);
  try {
    await stack.start();
    await outcomes.start();
    await receiveStock(stack.client(), options.stock);
    for (let added = 1; added < options.instances; added++) await stack.addInventoryInstance();
    const inventories = [stack.inventory, ...stack.moreInventories];
    await waitForShardOwners(inventories, options.shards);
    return { stack, inventories, outcomes, pgUrl: options.pgUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Until every shard has exactly one owner by the instances' own gauge (stockade_inventory_shard_owned),
 * and every instance owns one when there are enough shards to go round: the group has settled.
 */
async function waitForShardOwners(
  inventories: readonly ChildProcessSystem[],
  shards: number,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const owned = await Promise.all(inventories.map(ownedShardsOf));
    const owners = Array.from({ length: shards }, (_, shard) => owned.filter((mine) => mine.has(shard)).length);
    const everyInstanceWorks = inventories.length > shards || owned.every((mine) => mine.size > 0);
    if (owners.every((count) => count === 1) && everyInstanceWorks) return;
    if (Date.now() > deadline)
      throw new Error(
        `shards not settled after ${timeoutMs} ms: owners per shard ${owners.join(',')}, shards per instance ${owned.map((mine) => mine.size).join(',')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function ownedShardsOf(instance: ChildProcessSystem): Promise<Set<number>> {
  if (!instance.running) throw new Error(`an inventory-service instance exited:\n${instance.log}`);
  const text = await fetch(`${instance.url}/metrics`).then(
    (response) => response.text(),
    () => '',
  );
  return new Set(
    [...text.matchAll(/^stockade_inventory_shard_owned\{shard="(\d+)"\} 1$/gm)].map((match) => Number(match[1])),
  );
}
