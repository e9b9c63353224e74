import type { InventoryView } from '@stockade/contracts';
import { StockadeError } from '@stockade/kernel';
import { RateLimited } from './access.guard';

/** One SKU's level as the live stream sends it; `at` is when the change happened (the event's time), absent in the first snapshot. */
export interface LiveLevel extends InventoryView {
  readonly at?: string;
}

/** Where a stream writes; `write` resolves when the client can take more (see ServerSentEvents.send). */
export interface LevelSink {
  write(level: LiveLevel): Promise<void>;
  readonly closed: AbortSignal;
}

export interface LiveStockOptions {
  /** The current levels of these SKUs (all SKUs when undefined), sent first to every new stream. */
  readonly snapshot: (skus: readonly string[] | undefined) => Promise<readonly InventoryView[]>;
  /** Streams open at once past which `open` refuses (each costs a socket and a little memory). */
  readonly maxStreams: number;
  /** Streams one caller (not an operator) may hold at once; default: no cap of its own. */
  readonly maxStreamsPerCaller?: number;
  /** Of `maxStreams`, how many only operators may open (the dashboard still opens when the rest are taken); default 0. */
  readonly operatorReserve?: number;
}

/** Who opens a stream: its caller (callerKeyOf) and whether it is the operator. */
export interface StreamOwner {
  readonly key: string;
  readonly operator: boolean;
}

/** A 503 with Retry-After: the process serves as many live streams as it was sized for. */
export class TooManyStreams extends StockadeError {
  constructor(
    readonly maxStreams: number,
    reserve = 0,
  ) {
    const which =
      reserve > 0
        ? `${maxStreams - reserve} live streams are open already (STOCKADE_MAX_LIVE_STREAMS less STOCKADE_OPERATOR_LIVE_STREAM_RESERVE, kept for operators)`
        : `${maxStreams} live streams are open already (STOCKADE_MAX_LIVE_STREAMS)`;
    super('UNAVAILABLE', `${which}; retry later`, { retriable: true });
  }
}

/** A 429: this caller holds as many live streams as one caller may. */
export class TooManyStreamsForCaller extends RateLimited {
  constructor(readonly maxPerCaller: number) {
    super(
      5,
      `this caller has ${maxPerCaller} live streams open already (STOCKADE_MAX_LIVE_STREAMS_PER_CALLER); close one first`,
    );
  }
}

/**
 * One client's mailbox: the latest level per SKU not yet written. A slow client never makes the
 * server buffer its backlog: while its socket is full, newer levels of a SKU replace older ones
 * here, so what is held is at most one level per SKU it follows, and what it gets is always the
 * latest. The first snapshot goes through the same mailbox, so a live change that arrives while
 * the snapshot is read is not overwritten by the older snapshot value.
 */
class CoalescingStream {
  private readonly pending = new Map<string, LiveLevel>();
  private readonly liveSeen = new Set<string>();
  private flushing = false;

  constructor(
    private readonly sink: LevelSink,
    /** The SKUs followed (all when undefined); a WebSocket client changes them while the stream is open. */
    readonly skus: Set<string> | undefined,
  ) {}

  wants(sku: string): boolean {
    return this.skus === undefined || this.skus.has(sku);
  }

  /** Stops following `sku`: nothing of it waits or arrives any more, and following it again starts with its snapshot. */
  drop(sku: string): void {
    this.skus?.delete(sku);
    this.pending.delete(sku);
    this.liveSeen.delete(sku);
  }

  offerLive(level: LiveLevel): void {
    this.liveSeen.add(level.sku);
    this.offer(level);
  }

  offerSnapshot(level: LiveLevel): void {
    if (this.wants(level.sku) && !this.liveSeen.has(level.sku)) this.offer(level);
  }

  /** How many levels wait for this client (the memory a slow client costs). */
  get backlog(): number {
    return this.pending.size;
  }

  private offer(level: LiveLevel): void {
    // Re-inserting moves the SKU to the end: a SKU that keeps changing cannot starve the others.
    this.pending.delete(level.sku);
    this.pending.set(level.sku, level);
    if (!this.flushing) void this.flush();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.size > 0 && !this.sink.closed.aborted) {
        const [sku, level] = this.pending.entries().next().value as [string, LiveLevel];
        this.pending.delete(sku);
        await this.sink.write(level);
      }
    } finally {
      this.flushing = false;
    }
  }
}

/**
 * The live stock feed of one process: every StockLevelChanged it consumes is offered to each
 * open stream following that SKU. Fed by the deployment (the embedded bus, or the gateway's
 * Kafka consumer of inventory.stock-levels); read by GET /inventory/stream and /ops/stock-stream (SSE) and the WebSocket /inventory/socket, from one pool of streams.
 */
export class LiveStockLevels {
  private readonly streams = new Set<CoalescingStream>();
  /** Open streams per caller key. */
  private readonly perCaller = new Map<string, number>();

  constructor(private readonly options: LiveStockOptions) {}

  get openStreams(): number {
    return this.streams.size;
  }

  /** Levels waiting across all streams (a gauge for slow clients). */
  get backlog(): number {
    let total = 0;
    for (const stream of this.streams) total += stream.backlog;
    return total;
  }

  publish(level: LiveLevel): void {
    for (const stream of this.streams) if (stream.wants(level.sku)) stream.offerLive(level);
  }

  /**
   * Throws when `owner` may not open a stream now: TooManyStreams (503) when the pool is full (for
   * a non-operator: all but the operators' reserve), TooManyStreamsForCaller (429) when the caller
   * holds its share already. Call before answering 200.
   */
  assertRoom(owner: StreamOwner): void {
    const { maxStreams, operatorReserve = 0, maxStreamsPerCaller = Infinity } = this.options;
    if (owner.operator) {
      if (this.streams.size >= maxStreams) throw new TooManyStreams(maxStreams);
      return;
    }
    if (this.streams.size >= maxStreams - operatorReserve) throw new TooManyStreams(maxStreams, operatorReserve);
    if ((this.perCaller.get(owner.key) ?? 0) >= maxStreamsPerCaller)
      throw new TooManyStreamsForCaller(maxStreamsPerCaller);
  }

  /** Streams the levels of `skus` (all SKUs when undefined) to `sink` until it closes: the current ones first, then every change. */
  async open(skus: readonly string[] | undefined, sink: LevelSink, owner: StreamOwner): Promise<void> {
    const { stream, forget } = this.register(skus === undefined ? undefined : new Set(skus), sink, owner);
    try {
      for (const level of await this.options.snapshot(skus)) stream.offerSnapshot(level);
    } catch (error) {
      forget();
      throw error;
    }
  }

  /**
   * A stream whose SKUs its client changes while it is open (a WebSocket): one stream of the pool,
   * under the same caps as `open`, however often it follows or unfollows. It starts following none.
   */
  subscribe(sink: LevelSink, owner: StreamOwner): LiveSubscription {
    const { stream } = this.register(new Set(), sink, owner);
    const followed = stream.skus as Set<string>;
    return {
      follow: async (skus) => {
        const added = [...new Set(skus)].filter((sku) => !followed.has(sku));
        for (const sku of added) followed.add(sku);
        if (added.length === 0) return;
        for (const level of await this.options.snapshot(added)) stream.offerSnapshot(level);
      },
      unfollow: (skus) => {
        for (const sku of skus) stream.drop(sku);
      },
      following: () => [...followed],
    };
  }

  private register(
    skus: Set<string> | undefined,
    sink: LevelSink,
    owner: StreamOwner,
  ): { stream: CoalescingStream; forget: () => void } {
    this.assertRoom(owner);
    const stream = new CoalescingStream(sink, skus);
    this.streams.add(stream);
    this.perCaller.set(owner.key, (this.perCaller.get(owner.key) ?? 0) + 1);
    let counted = true;
    const forget = () => {
      this.streams.delete(stream);
      if (!counted) return;
      counted = false;
      const left = (this.perCaller.get(owner.key) ?? 1) - 1;
      if (left === 0) this.perCaller.delete(owner.key);
      else this.perCaller.set(owner.key, left);
    };
    sink.closed.addEventListener('abort', forget, { once: true });
    // A sink closed before it was registered never fires its abort again.
    if (sink.closed.aborted) forget();
    return { stream, forget };
  }
}

/** What a client changes of its stream while it is open (see LiveStockLevels.subscribe). */
export interface LiveSubscription {
  /** Follows `skus` too: the current level of each new one first, then its changes. */
  follow(skus: readonly string[]): Promise<void>;
  /** Stops following `skus`. */
  unfollow(skus: readonly string[]): void;
  /** The SKUs followed now. */
  following(): readonly string[];
}

/** Injection token of the process's LiveStockLevels. */
export const LIVE_STOCK = Symbol('LiveStockLevels');
