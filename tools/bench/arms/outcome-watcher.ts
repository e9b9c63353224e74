import type { Consumer, Kafka } from 'kafkajs';
import { epochMs } from '../load/clock';
import type { Decision } from '../observation';

const STATUS_OF: Record<string, Decision['status']> = {
  'OrderCompleted.v1': 'COMPLETED',
  'OrderRejected.v1': 'REJECTED',
  'OrderCancelled.v1': 'CANCELLED',
};

/**
 * A plain consumer of an outcomes topic (Stockade's order.events, or the Kafka baseline's), as
 * an upstream would read it: each terminal outcome is timestamped when it arrives here, the same
 * way for both Kafka arms. Distinct by message id, so a redelivered outcome is one decision.
 */
export class OutcomeWatcher {
  private readonly byMessageId = new Map<string, Decision>();
  private readonly decided = new Set<string>();
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {}

  async start(): Promise<void> {
    this.consumer = this.kafka.consumer({ groupId: `bench-watcher-${this.topic}`, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachBatch: async ({ batch }) => {
        const arrivedAt = epochMs();
        for (const message of batch.messages) this.record(message.value?.toString() ?? '', arrivedAt);
      },
    });
  }

  get decidedCount(): number {
    return this.decided.size;
  }

  get decisions(): Decision[] {
    return [...this.byMessageId.values()];
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  private record(value: string, arrivedAt: number): void {
    const envelope = JSON.parse(value) as { messageId: string; type: string; data: { orderId: string } };
    const status = STATUS_OF[envelope.type];
    if (!status || this.byMessageId.has(envelope.messageId)) return;
    this.byMessageId.set(envelope.messageId, {
      checkoutId: envelope.data.orderId,
      status,
      decisionId: envelope.messageId,
      terminalAtMs: arrivedAt,
    });
    this.decided.add(envelope.data.orderId);
  }
}
