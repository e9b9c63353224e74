import type { HandOver, OutgoingMessage } from '../message-bus';

/**
 * States held back for a moment and published as the latest one per key (stock levels): each
 * supersedes the ones before it, so a SKU whose level changed thirty times in 100 ms needs one
 * message, not thirty, and the bus, the broker and every reader do a thirtieth of the work.
 * `add` resolves once a flush that includes its messages was published (and handled): the relay
 * keeps its checkpoint behind them until then, so a crash loses no state. Flushes run one after
 * another, which keeps each key's states in order.
 */
export class LatestPerKeyHold {
  private held = new Map<string, Map<string, OutgoingMessage>>();
  private waiting: Array<{ readonly resolve: () => void; readonly reject: (error: unknown) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly holdMs: number,
    private readonly publish: (topic: string, messages: readonly OutgoingMessage[]) => Promise<HandOver>,
  ) {}

  add(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    let byKey = this.held.get(topic);
    if (!byKey) this.held.set(topic, (byKey = new Map()));
    for (const message of messages) {
      // Re-inserted, so the flush publishes keys in the order of their latest states.
      byKey.delete(message.key);
      byKey.set(message.key, message);
    }
    const published = new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    // Not unref'd: a stopping relay waits for this flush, and the process must live until it ran.
    this.timer ??= setTimeout(() => this.flush(), this.holdMs);
    return published;
  }

  private flush(): void {
    this.timer = undefined;
    const held = this.held;
    const waiting = this.waiting;
    this.held = new Map();
    this.waiting = [];
    this.flushing = this.flushing
      .then(async () => {
        const handling: Promise<void>[] = [];
        for (const [topic, byKey] of held) handling.push((await this.publish(topic, [...byKey.values()])).handled);
        await Promise.all(handling);
      })
      .then(
        () => waiting.forEach(({ resolve }) => resolve()),
        (error: unknown) => waiting.forEach(({ reject }) => reject(error)),
      );
  }
}
