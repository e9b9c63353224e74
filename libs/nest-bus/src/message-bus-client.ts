import { ClientProxy, ReadPacket, WritePacket } from '@nestjs/microservices';
import type { MessageBus, OutgoingMessage } from '@stockade/messaging';
import { lastValueFrom } from 'rxjs';

/** What `client.emit(topic, data)` takes: one message with its key and headers, or several. */
export type BusRecords = OutgoingMessage | readonly OutgoingMessage[];

/**
 * The publishing side of the transport: `client.emit(topic, { key, value, headers })` publishes
 * through the MessageBus port, so the message lands in the same partition (by key) with the same
 * durability (acks=all on Kafka) as every other publish. The bus belongs to the application, not
 * to the client: `close()` leaves it open. Request/response (`send`) is refused, as the bus has no
 * reply channel; services answer with events.
 */
export class MessageBusClient extends ClientProxy {
  constructor(private readonly bus: MessageBus) {
    super();
  }

  async connect(): Promise<MessageBus> {
    return this.bus;
  }

  async close(): Promise<void> {
    // The bus is shared and closed by whoever opened it.
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  /** `emit` as a Promise: resolves once the bus durably accepted the messages, rejects if it did not. */
  async emitAndWait(topic: string, records: BusRecords): Promise<void> {
    await lastValueFrom(this.emit(topic, records), { defaultValue: undefined });
  }

  /** The publishing half of the MessageBus port, for application services that take one (they know no Nest). */
  asPublisher(): Pick<MessageBus, 'publish'> {
    return { publish: (topic, messages) => this.emitAndWait(topic, messages) };
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket<BusRecords>): Promise<T> {
    const topic = this.normalizePattern(packet.pattern);
    const records = Array.isArray(packet.data)
      ? (packet.data as readonly OutgoingMessage[])
      : [packet.data as OutgoingMessage];
    await this.bus.publish(topic, records);
    return undefined as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({
      err: new Error(
        `${this.normalizePattern(packet.pattern)}: the message bus has no replies; use emit(), not send()`,
      ),
      isDisposed: true,
    });
    return () => undefined;
  }
}
