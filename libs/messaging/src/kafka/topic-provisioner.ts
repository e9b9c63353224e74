import type { Admin } from 'kafkajs';

/**
 * Creates topics before first use with the bus's partition count: left to the broker's
 * auto-creation they would get its `num.partitions` (often 1), and keys would hash onto a
 * different number of partitions than everywhere else. Each name is created once per bus;
 * a topic that already exists is fine.
 */
export class TopicProvisioner {
  private readonly known = new Map<string, Promise<void>>();

  constructor(
    private readonly admin: Admin,
    private readonly partitions: number,
    private readonly enabled: boolean,
  ) {}

  async ensureTopics(names: readonly string[]): Promise<void> {
    if (!this.enabled) return;
    const missing = [...new Set(names)].filter((name) => !this.known.has(name));
    if (missing.length > 0) {
      const creating = this.admin
        .createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: this.partitions })), waitForLeaders: true })
        .then(() => undefined);
      missing.forEach((name) => this.known.set(name, creating));
      // A failed creation is retried by the next caller rather than remembered.
      creating.catch(() => missing.forEach((name) => this.known.delete(name)));
    }
    await Promise.all(names.map((name) => this.known.get(name)));
  }
}
