import type { Producer, ProducerRecord, RecordMetadata } from 'kafkajs';

/**
 * Broker answers that mean the idempotent producer's session (its producer id and sequence
 * numbers) no longer matches the broker's, typically after a broker restart. kafkajs 2.2.4 keeps
 * sending with the same session and gets the same answer forever (tulios/kafkajs#598); a new
 * producer gets a new id and starts its sequences afresh.
 */
const SESSION_LOST = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
]);

/** Whether the error, or what kafkajs wrapped in it (its retries give up with the cause inside), is a lost session. */
export function isLostProducerSession(error: unknown): boolean {
  for (
    let current = error, depth = 0;
    current instanceof Error && depth < 5;
    current = (current as { cause?: unknown }).cause, depth++
  ) {
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string' && SESSION_LOST.has(type)) return true;
  }
  return false;
}

/**
 * One idempotent producer, replaced by a fresh one when the broker says its session is lost. The
 * failed send still fails (its caller retries it, as for any outage: every send is at-least-once
 * and consumers dedupe), but the next send goes out on the new session instead of failing too.
 */
export class RenewableProducer {
  private current: Producer;
  private renewal: Promise<void> | undefined;

  private constructor(
    private readonly create: () => Producer,
    first: Producer,
    private readonly onRenewed: (error: unknown) => void,
  ) {
    this.current = first;
  }

  /** Creates and connects the first producer. */
  static async connect(
    create: () => Producer,
    onRenewed: (error: unknown) => void = () => undefined,
  ): Promise<RenewableProducer> {
    const first = create();
    try {
      await first.connect();
    } catch (error) {
      await first.disconnect().catch(() => undefined);
      throw error;
    }
    return new RenewableProducer(create, first, onRenewed);
  }

  async send(record: ProducerRecord): Promise<RecordMetadata[]> {
    await this.renewal;
    const producer = this.current;
    try {
      return await producer.send(record);
    } catch (error) {
      if (isLostProducerSession(error)) this.renew(producer, error);
      throw error;
    }
  }

  disconnect(): Promise<void> {
    return this.current.disconnect();
  }

  /** Once per lost session: sends that fail on the same old producer meanwhile do not renew it again. */
  private renew(failed: Producer, error: unknown): void {
    if (failed !== this.current || this.renewal) return;
    this.renewal = (async () => {
      const fresh = this.create();
      try {
        await fresh.connect();
      } catch {
        // The broker is still away: keep the old producer; the next lost-session answer tries again.
        await fresh.disconnect().catch(() => undefined);
        return;
      }
      this.current = fresh;
      await failed.disconnect().catch(() => undefined);
      this.onRenewed(error);
    })().finally(() => (this.renewal = undefined));
  }
}
