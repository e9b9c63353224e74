import { shardOfSku, type InventoryView } from '@stockade/contracts';
import { DuplicateEventId, EventStore, ExpectedVersionConflict, FenceLost, type Fence } from '@stockade/event-store';
import type { CheckoutCommand, ConfigureStock, ReservationLine, SetListing } from '@stockade/inventory-domain';
import { BatchWorkspace } from './batch-workspace';
import { GroupCommitQueue } from './group-commit-queue';
import { commitOutcome, Decided, reservationChange, reserveOutcome, stockView } from './command-outcomes';
import { decideInventory, InventoryWriteCommand, isCheckoutCommand, statesFor } from './inventory-decisions';
import { InventoryWriteContention } from './inventory-write-contention';
import { createInventoryCaches, InventoryCaches } from './inventory-caches';
import { InventoryModuleOptions, resolveInventoryOptions, ResolvedInventoryOptions } from './inventory-options';
import { ShardNotOwned, ShardOwnership } from './shard-ownership';
import { STOCK_STREAM_PREFIX } from './streams';
import { STOP_SNAPSHOT_BUDGET_MS, STOP_SNAPSHOT_MIN_EVENTS } from './stream-snapshots';
import type { CommandMetadata, CommitOutcome, ReservationChange, ReserveOutcome } from './outcomes';

interface Pending {
  readonly command: InventoryWriteCommand;
  readonly metadata: CommandMetadata & { readonly occurredAt: string };
  readonly outcomeOf: (decided: Decided) => unknown;
  readonly resolve: (outcome: never) => void;
  readonly reject: (error: unknown) => void;
}

type Verdict = { readonly ok: true; readonly outcome: unknown } | { readonly ok: false; readonly error: unknown };

interface Decisions {
  readonly verdicts: Verdict[];
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
  receiveStock(sku: string, quantity: number, metadata: CommandMetadata, purchaseOrderId?: string): Promise<InventoryView> {
    const data = purchaseOrderId === undefined ? { sku, quantity } : { sku, quantity, purchaseOrderId };
    return this.submit({ type: 'ReceiveStock', data }, metadata, stockView(sku, this.options.limitedThreshold));
  }

  configureStock(settings: ConfigureStock['data'], metadata: CommandMetadata): Promise<InventoryView> {
    return this.submit({ type: 'ConfigureStock', data: settings }, metadata, stockView(settings.sku, this.options.limitedThreshold));
  }

  /** The SKU's name and price in the catalog; the same listing again changes nothing. */
  setListing(listing: SetListing['data'], metadata: CommandMetadata): Promise<InventoryView> {
    return this.submit({ type: 'SetListing', data: listing }, metadata, stockView(listing.sku, this.options.limitedThreshold));
  }

  adjustStock(sku: string, delta: number, reason: string, metadata: CommandMetadata): Promise<InventoryView> {
    return this.submit({ type: 'AdjustStock', data: { sku, delta, reason } }, metadata, stockView(sku, this.options.limitedThreshold));
  }

  reserve(checkoutId: string, lines: readonly ReservationLine[], metadata: CommandMetadata): Promise<ReserveOutcome> {
    const command: CheckoutCommand = { type: 'ReserveStock', data: { checkoutId, lines, ttlMs: this.options.reservationTtlMs }, metadata: { now: this.options.clock.now() } };
    return this.submit(command, metadata, reserveOutcome(checkoutId));
  }

  release(checkoutId: string, reason: string, metadata: CommandMetadata): Promise<ReservationChange> {
    return this.submit({ type: 'ReleaseReservation', data: { checkoutId, reason } }, metadata, reservationChange(checkoutId));
  }

  commit(checkoutId: string, metadata: CommandMetadata): Promise<CommitOutcome> {
    return this.submit({ type: 'CommitReservation', data: { checkoutId } }, metadata, commitOutcome(checkoutId));
  }

  expire(checkoutId: string, metadata: CommandMetadata): Promise<ReservationChange> {
    return this.submit({ type: 'ExpireReservation', data: { checkoutId }, metadata: { now: this.options.clock.now() } }, metadata, reservationChange(checkoutId));
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
    const taken = await this.caches.stock.snapshotStreamsBehind(Math.max(1, Math.min(minEvents, this.options.snapshotInterval)), () => this.queue.idle && performance.now() < deadline);
    await this.caches.stockSnapshots?.whenSaved();
    return taken;
  }

  private submit<Outcome>(command: InventoryWriteCommand, metadata: CommandMetadata, outcomeOf: (decided: Decided) => Outcome): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      const occurredAt = this.options.clock.now().toISOString();
      this.queue.push({ command, metadata: { ...metadata, occurredAt }, outcomeOf, resolve: resolve as (outcome: never) => void, reject });
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

  private async writeBatch(batch: readonly Pending[]): Promise<void> {
    const alreadyStored = new Set<string>();
    for (let attempt = 1; ; attempt++) {
      const workspace = new BatchWorkspace(this.caches);
      try {
        const { verdicts, fencedSkus } = await this.decideAll(batch, workspace, alreadyStored);
        const requests = workspace.appendRequests();
        const results = requests.length > 0 ? await this.store.appendToStreams(requests, { fences: await this.fencesFor(fencedSkus) }) : [];
        workspace.commitTo(results);
        batch.forEach((pending, index) => settle(pending, verdicts[index] as Verdict));
        return;
      } catch (thrown) {
        workspace.evictFromCaches();
        // Another instance took a shard since: it is forgotten here, and never a non-retriable refusal (no dead letter for it).
        const error = thrown instanceof FenceLost && this.ownership ? this.ownership.lost(thrown) : thrown;
        // A shard moved while the batch was decided: decide again, its commands now fail alone.
        if (error instanceof ShardNotOwned && attempt < this.options.maxConflictRetries) continue;
        // A redelivered command whose events are already stored: treat it as done and re-decide the rest.
        const owner = error instanceof DuplicateEventId ? workspace.commandOwning(error.eventId) : undefined;
        if (owner !== undefined && !alreadyStored.has(owner)) {
          alreadyStored.add(owner);
          attempt--;
          continue;
        }
        if (error instanceof ExpectedVersionConflict && attempt < this.options.maxConflictRetries) continue;
        const failure = error instanceof ExpectedVersionConflict ? new InventoryWriteContention(attempt, error) : error;
        batch.forEach((pending) => pending.reject(failure));
        return;
      }
    }
  }

  private async fencesFor(skus: ReadonlySet<string>): Promise<Fence[]> {
    return this.ownership && skus.size > 0 ? this.ownership.fencesFor(skus) : [];
  }

  /** Refuses a checkout command for a SKU of a shard this instance does not own, before its stock is loaded. */
  private readonly admit = (skus: readonly string[]): void => {
    const ownership = this.ownership as ShardOwnership;
    const foreign = skus.find((sku) => !ownership.owns(sku));
    if (foreign !== undefined) throw new ShardNotOwned(shardOfSku(foreign, ownership.shards));
  };

  /** Decides each command against the working states; a refused command fails alone. */
  private async decideAll(batch: readonly Pending[], workspace: BatchWorkspace, alreadyStored: ReadonlySet<string>): Promise<Decisions> {
    const seen = new Set<string>(alreadyStored);
    const verdicts: Verdict[] = [];
    const fencedSkus = new Set<string>();
    for (const pending of batch) {
      const owned = this.ownership !== undefined && isCheckoutCommand(pending.command);
      let decided;
      try {
        decided = await statesFor(pending.command, workspace, owned ? this.admit : undefined);
      } catch (error) {
        if (!(error instanceof ShardNotOwned)) throw error;
        verdicts.push({ ok: false, error });
        continue;
      }
      if (owned) for (const sku of Object.keys(decided.stocks)) fencedSkus.add(sku);
      try {
        // The same command twice in a batch (or already stored) must not produce its events twice.
        const events = seen.has(pending.metadata.commandId) ? [] : decideInventory(pending.command, decided);
        seen.add(pending.metadata.commandId);
        workspace.record(events, pending.metadata);
        const after = await statesFor(pending.command, workspace);
        verdicts.push({ ok: true, outcome: pending.outcomeOf({ ...after, events }) });
      } catch (error) {
        verdicts.push({ ok: false, error });
      }
    }
    return { verdicts, fencedSkus };
  }
}

function settle(pending: Pending, verdict: Verdict): void {
  if (verdict.ok) pending.resolve(verdict.outcome as never);
  else pending.reject(verdict.error);
}
