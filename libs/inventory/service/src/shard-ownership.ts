import { shardOfSku } from '@stockade/contracts';
import { FenceLost, type Fence } from '@stockade/event-store';
import { StockadeError } from '@stockade/kernel';

const FENCE_PREFIX = 'inventory-shard-';

/** The event store fence of a shard: its owner's epoch. */
export function shardFenceName(shard: number): string {
  return `${FENCE_PREFIX}${shard}`;
}

/**
 * A command for a shard this instance does not own (it moved in a rebalance, or a deposed owner
 * woke up). An outage as the bus sees it (UNAVAILABLE, retriable): the message is never
 * dead-lettered for it, and is retried until its batch stops and the shard's owner takes it.
 */
export class ShardNotOwned extends StockadeError {
  constructor(
    readonly shard: number,
    cause?: unknown,
  ) {
    super(
      'UNAVAILABLE',
      `inventory shard ${shard} is not owned by this instance: it moved to another one, which decides its commands`,
      { retriable: true, cause },
    );
  }
}

interface Held {
  /** The epoch this instance holds, once it took the fence. */
  readonly epoch: Promise<number>;
}

export interface ShardOwnershipOptions {
  readonly shards: number;
  readonly takeFence: (name: string) => Promise<number>;
  /** Drop what is cached of these shards: another instance owned (or may have owned) them since. */
  readonly forget: (shards: readonly number[]) => void;
  /** Told when taking a fence failed (the store was down); the shard stays unowned until the next assignment. */
  readonly onError?: (error: unknown, shard: number) => void;
  /** Told when an append was refused by a shard's fence: a newer owner holds it (metrics, the operator's log). */
  readonly onLost?: (shard: number, error: FenceLost) => void;
}

/**
 * Which shards this inventory instance may write, and under which fence epochs. The consumer's
 * assignment of inventory.commands partitions is the ownership; taking each shard's fence is what
 * makes a deposed owner's appends fail (ADR 0020).
 *
 * kafkajs rebalances eagerly: every rebalance first takes all partitions away, then gives the new
 * assignment. Caches are therefore not dropped when partitions are taken away, only when the next
 * assignment shows that someone else may have owned the shard since: it is not given back, or its
 * fence moved by more than this instance's own take.
 */
export class ShardOwnership {
  private readonly held = new Map<number, Held>();
  /** The last epoch this instance held of each shard, also while it holds none (during a rebalance). */
  private readonly lastEpoch = new Map<number, number>();

  constructor(private readonly options: ShardOwnershipOptions) {}

  get shards(): number {
    return this.options.shards;
  }

  /** The consumer's new assignment of inventory.commands partitions (an empty one while a rebalance runs). */
  assign(partitions: readonly number[]): void {
    this.held.clear();
    // Taken away for a rebalance: keep the caches and last epochs until the new assignment says more.
    if (partitions.length === 0) return;
    const next = new Set(partitions);
    const gone = [...this.lastEpoch.keys()].filter((shard) => !next.has(shard));
    for (const shard of gone) this.lastEpoch.delete(shard);
    if (gone.length > 0) this.options.forget(gone);
    for (const shard of next) {
      const held: Held = { epoch: this.take(shard) };
      this.held.set(shard, held);
      // A fence that could not be taken leaves the shard unowned (unless a newer assignment came meanwhile).
      held.epoch.catch(() => this.held.get(shard) === held && this.held.delete(shard));
    }
  }

  /** The shards this instance holds now (their fences may still be being taken). */
  owned(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  owns(sku: string): boolean {
    return this.held.has(shardOfSku(sku, this.options.shards));
  }

  /** The fences an append touching these SKUs must carry; ShardNotOwned for the first SKU of a shard not held. */
  async fencesFor(skus: Iterable<string>): Promise<Fence[]> {
    const shards = new Set<number>();
    for (const sku of skus) shards.add(shardOfSku(sku, this.options.shards));
    const fences: Fence[] = [];
    for (const shard of shards) {
      const held = this.held.get(shard);
      if (!held) throw new ShardNotOwned(shard);
      fences.push({
        name: shardFenceName(shard),
        epoch: await held.epoch.catch((error: unknown) => Promise.reject(new ShardNotOwned(shard, error))),
      });
    }
    return fences;
  }

  /** An append was refused by a fence: that shard has a newer owner; forget it until it is assigned again. */
  lost(error: FenceLost): ShardNotOwned {
    const shard = Number(error.fence.slice(FENCE_PREFIX.length));
    this.held.delete(shard);
    this.lastEpoch.delete(shard);
    this.options.forget([shard]);
    this.options.onLost?.(shard, error);
    return new ShardNotOwned(shard, error);
  }

  private async take(shard: number): Promise<number> {
    try {
      const epoch = await this.options.takeFence(shardFenceName(shard));
      const previous = this.lastEpoch.get(shard);
      // Exactly one above ours: nobody took it in between, so nobody else decided there and the cache holds.
      if (previous === undefined || epoch !== previous + 1) this.options.forget([shard]);
      this.lastEpoch.set(shard, epoch);
      return epoch;
    } catch (error) {
      this.options.onError?.(error, shard);
      throw error;
    }
  }
}
