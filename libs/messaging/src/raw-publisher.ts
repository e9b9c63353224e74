/** A message as bytes: what a dead letter holds, published back unchanged by a replay. */
export interface RawRecord {
  readonly key: Uint8Array | string | null;
  readonly value: Uint8Array | string | null;
  readonly headers: Readonly<Record<string, Uint8Array | string>>;
}

/**
 * A bus that can publish bytes as they are (Kafka). The embedded buses carry only what their own
 * producers serialised (JSON text), so a replay there goes through `publish`; from a broker that
 * other producers write to, a dead letter may hold any bytes, and only this keeps them.
 */
export interface RawPublisher {
  publishRaw(topic: string, records: readonly RawRecord[]): Promise<void>;
}

export function canPublishRaw(bus: object): bus is RawPublisher {
  return typeof (bus as Partial<RawPublisher>).publishRaw === 'function';
}
