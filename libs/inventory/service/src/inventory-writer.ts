import { shardOfSku, type InventoryView } from '@stockade/contracts';
import { EventStore, FenceLost, type Fence } from '@stockade/event-store';
import type { CheckoutCommand, ConfigureStock, ReservationLine, SetListing } from '@stockade/inventory-domain';
import { InvariantViolation } from '@stockade/kernel';
import { batchRecoveryFor } from './batch-recovery';
import { BatchWorkspace } from './batch-workspace';
import { GroupCommitQueue } from './group-commit-queue';
import { commitOutcome, Decided, reservationChange, reserveOutcome, stockView } from './command-outcomes';
import { decideInventory, InventoryWriteCommand, isCheckoutCommand, statesFor } from './inventory-decisions';
import { createInventoryCaches, InventoryCaches } from './inventory-caches';
import { InventoryModuleOptions, resolveInventoryOptions, ResolvedInventoryOptions } from './inventory-options';
import { ShardNotOwned, ShardOwnership } from './shard-ownership';
import { STOCK_STREAM_PREFIX } from './streams';
import { STOP_SNAPSHOT_BUDGET_MS, STOP_SNAPSHOT_MIN_EVENTS } from './stream-snapshots';
import type { CommandMetadata, CommitOutcome, ReservationChange, ReserveOutcome } from './outcomes';

interface Pending {
  readonly command: InventoryWriteCommand;
  readonly metadata: CommandMetadata & { readonly occurredAt: string };
  /** Takes the command's outcome from its decided states now, and returns what hands it over once the batch is stored. */
  readonly decided: (decided: Decided) => Settle;
  readonly reject: (error: unknown) => void;
}

/** Resolves or rejects one command's promise. */
type Settle = () => void;

interface Decisions {
  /** One per command of the batch, in order. */
  readonly settlements: readonly Settle[];
  /** SKUs of the checkout commands decided: the shards whose fences the append must carry. */
  readonly fencedSkus: ReadonlySet<string>;
}

/**
 * The single writer of inventory streams, with group commit (DESIGN.md, "Hot SKUs"). Commands
 * queue while an append is in flight; the next batch is decided one command at a time against
 * cached states, each seeing the effects of the ones before it, then written in ONE atomic
 * append with expected versions. A flash sale on one SKU thus costs one append per batch, not
 * one per buyer, and never a retry storm. Another process writing the same streams shows up
 * as ExpectedVersionConflict: the touched streams are re-read and the batch decided again.
 *
 * With `ownership` (a sharded inventory, ADR 0020) it decides checkout commands only for SKUs of
 * the shards it owns (others fail alone with ShardNotOwned, which the bus retries until the owner
 * has them) and every append carries the fences of the shards it decided for: when another
 * instance took one since, the store refuses the append, the shard is forgotten and the batch is
 * decided again without it.
 */
export class InventoryWriter {
  private readonly options: ResolvedInventoryOptions;
  private readonly caches: InventoryCaches;
  private readonly queue: GroupCommitQueue<Pending>;

  constructor(
    private readonly store: EventStore,
    options: InventoryModuleOptions = {},
    private readonly ownership?: ShardOwnership,
  ) {
    this.options = resolveInventoryOptions(options);
    this.caches = createInventoryCaches(store, this.options);
    this.queue = new GroupCommitQueue((batch) => this.writeBatch(batch), this.options.maxBatchSize);
  }

  /** With `purchaseOrderId`, a delivery against that purchase order: a repeat of it changes nothing. */
  receiveStock(
    sku: string,
    quantity: number,
    metadata: CommandMetadata,
    purchaseOrderId?: string,
  ): Promise<InventoryView> {
    const data = purchaseOrderId === undefined ? { sku, quantity } : { sku, quantity, purchaseOrderId };
    return this.submit({ type: 'ReceiveStock', data }, metadata, stockView(sku, this.options.limitedThreshold));
  }

  configureStock(settings: ConfigureStock['data'], metadata: CommandMetadata): Promise<InventoryView> {
    return this.submit(
      { type: 'ConfigureStock', data: settings },
      metadata,
      stockView(settings.sku, this.options.limitedThreshold),
    );
  }

  /** The SKU's name and price in the catalog; the same listing again changes nothing. */
  setListing(listing: SetListing['data'], metadata: CommandMetadata): Promise<InventoryView> {
    return this.submit(
      { type: 'SetListing', data: listing },
      metadata,
      stockView(listing.sku, this.options.limitedThreshold),
    );
  }

  adjustStock(sku: string, delta: number, reason: string, metadata: CommandMetadata): Promise<InventoryView> {
    return this.submit(
      { type: 'AdjustStock', data: { sku, delta, reason } },
      metadata,
      stockView(sku, this.options.limitedThreshold),
    );
  }

  reserve(checkoutId: string, lines: readonly ReservationLine[], metadata: CommandMetadata): Promise<ReserveOutcome> {
    const command: CheckoutCommand = {
      type: 'ReserveStock',
      data: { checkoutId, lines, ttlMs: this.options.reservationTtlMs },
      metadata: { now: this.options.clock.now() },
    };
    return this.submit(command, metadata, reserveOutcome(checkoutId));
  }

  release(checkoutId: string, reason: string, metadata: CommandMetadata): Promise<ReservationChange> {
    return this.submit(
      { type: 'ReleaseReservation', data: { checkoutId, reason } },
      metadata,
      reservationChange(checkoutId),
    );
  }

  commit(checkoutId: string, metadata: CommandMetadata): Promise<CommitOutcome> {
    return this.submit({ type: 'CommitReservation', data: { checkoutId } }, metadata, commitOutcome(checkoutId));
  }

  expire(checkoutId: string, metadata: CommandMetadata): Promise<ReservationChange> {
    return this.submit(
      { type: 'ExpireReservation', data: { checkoutId }, metadata: { now: this.options.clock.now() } },
      metadata,
      reservationChange(checkoutId),
    );
  }

  /** Resolves when every command submitted so far has its outcome and the snapshots taken are saved (for a graceful stop). */
  async whenIdle(): Promise<void> {
    await this.queue.whenIdle();
    await this.caches.stockSnapshots?.whenSaved();
  }

  /**
   * For a graceful stop, after the last command: snapshots of the SKUs that got at least
   * `minEvents` events since their last snapshot, longest tails first, for at most `withinMs`
   * (saving included), so that the next start loads each from a snapshot at (or near) its head
   * instead of folding up to `snapshotInterval` events (ADR 14). Returns how many were taken.
   */
  async snapshotBeforeStop(options: { minEvents?: number; withinMs?: number } = {}): Promise<number> {
    const { minEvents = STOP_SNAPSHOT_MIN_EVENTS, withinMs = STOP_SNAPSHOT_BUDGET_MS } = options;
    const deadline = performance.now() + withinMs;
    while (!this.queue.idle) await this.queue.whenIdle();
    // A command that still arrives ends it: its batch may change states in place while they are encoded.
    const taken = await this.caches.stock.snapshotStreamsBehind(
      Math.max(1, Math.min(minEvents, this.options.snapshotInterval)),
      () => this.queue.idle && performance.now() < deadline,
    );
    await this.caches.stockSnapshots?.whenSaved();
    return taken;
  }

  private submit<Outcome>(
    command: InventoryWriteCommand,
    metadata: CommandMetadata,
    outcomeOf: (decided: Decided) => Outcome,
  ): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      const occurredAt = this.options.clock.now().toISOString();
      const decided = (states: Decided): Settle => {
        const outcome = outcomeOf(states);
        return () => resolve(outcome);
      };
      this.queue.push({ command, metadata: { ...metadata, occurredAt }, decided, reject });
    });
  }

  /** States held in memory now, per kind of stream (what `STOCKADE_MAX_CACHED_STREAMS` bounds). */
  cachedStreams(): { readonly stock: number; readonly reservation: number } {
    return { stock: this.caches.stock.size, reservation: this.caches.reservation.size };
  }

  /** Drops the cached states of shards another instance owns now (ShardOwnership's `forget`). */
  forgetShards(shards: readonly number[]): void {
    if (!this.ownership) return;
    const gone = new Set(shards);
    const count = this.ownership.shards;
    this.caches.stock.evictWhere((stream) => gone.has(shardOfSku(stream.slice(STOCK_STREAM_PREFIX.length), count)));
    // A reservation's shard is in its lines, not its name; they are short and cheap to read again.
    this.caches.reservation.evictWhere(() => true);
  }

  /**
   * Decides and appends the batch; a failure is classified (batch-recovery.ts) and the batch
   * decided again or failed. Bounded: the attempts that cost one, plus each command skipped as
   * already stored at most once.
   */
  private async writeBatch(batch: readonly Pending[]): Promise<void> {
    const alreadyStored = new Set<string>();
    const maxAttempts = this.options.maxConflictRetries;
    let attempt = 1;
    for (let round = 0; round < maxAttempts + batch.length; round++) {
      const workspace = new BatchWorkspace(this.caches);
      try {
        const { settlements, fencedSkus } = await this.decideAll(batch, workspace, alreadyStored);
        const requests = workspace.appendRequests();
        const results =
          requests.length > 0
            ? await this.store.appendToStreams(requests, { fences: await this.fencesFor(fencedSkus) })
            : [];
        workspace.commitTo(results);
        for (const settle of settlements) settle();
        return;
      } catch (thrown) {
        workspace.evictFromCaches();
        // Another instance took a shard since: the ownership forgets it, and the batch sees a moved shard (never a dead letter).
        const error = thrown instanceof FenceLost && this.ownership ? this.ownership.lost(thrown) : thrown;
        const recovery = batchRecoveryFor(error, {
          attempt,
          maxAttempts,
          commandOwning: (eventId) => workspace.commandOwning(eventId),
          alreadyStored,
        });
        switch (recovery.kind) {
          case 'shard-moved':
          case 'version-conflict':
            attempt++;
            break;
          case 'already-stored':
            alreadyStored.add(recovery.commandId);
            break;
          case 'fail':
            for (const pending of batch) pending.reject(recovery.error);
            return;
          default:
            return unknownRecovery(recovery);
        }
      }
    }
    // Unreachable: every round either returns or spends an attempt or a command it cannot spend twice.
    for (const pending of batch)
      pending.reject(
        new InvariantViolation(
          `inventory batch of ${batch.length} still failing after ${maxAttempts + batch.length} rounds`,
        ),
      );
  }

  private async fencesFor(skus: ReadonlySet<string>): Promise<Fence[]> {
    return this.ownership && skus.size > 0 ? this.ownership.fencesFor(skus) : [];
  }

  /** Refuses a checkout command for a SKU of a shard this instance does not own, before its stock is loaded; none for a stock command or an unsharded inventory. */
  private admissionFor(command: InventoryWriteCommand): ((skus: readonly string[]) => void) | undefined {
    const ownership = this.ownership;
    if (!ownership || !isCheckoutCommand(command)) return undefined;
    return (skus) => {
      const foreign = skus.find((sku) => !ownership.owns(sku));
      if (foreign !== undefined) throw new ShardNotOwned(shardOfSku(foreign, ownership.shards));
    };
  }

  /** Decides each command against the working states; a refused command fails alone. */
  private async decideAll(
    batch: readonly Pending[],
    workspace: BatchWorkspace,
    alreadyStored: ReadonlySet<string>,
  ): Promise<Decisions> {
    const seen = new Set<string>(alreadyStored);
    const settlements: Settle[] = [];
    const fencedSkus = new Set<string>();
    for (const pending of batch) {
      const admit = this.admissionFor(pending.command);
      let decided;
      try {
        decided = await statesFor(pending.command, workspace, admit);
      } catch (error) {
        if (!(error instanceof ShardNotOwned)) throw error;
        settlements.push(() => pending.reject(error));
        continue;
      }
      if (admit) for (const sku of Object.keys(decided.stocks)) fencedSkus.add(sku);
      try {
        // The same command twice in a batch (or already stored) must not produce its events twice.
        const events = seen.has(pending.metadata.commandId) ? [] : decideInventory(pending.command, decided);
        seen.add(pending.metadata.commandId);
        workspace.record(events, pending.metadata);
        const after = await statesFor(pending.command, workspace);
        settlements.push(pending.decided({ ...after, events }));
      } catch (error) {
        settlements.push(() => pending.reject(error));
      }
    }
    return { settlements, fencedSkus };
  }
}

function unknownRecovery(recovery: never): never {
  throw new InvariantViolation(`no handling for batch recovery ${JSON.stringify(recovery)}`);
}
