import { InventoryCommand, InventoryView, parseOrThrow } from '@stockade/contracts';
import { assertNever, ValidationError } from '@stockade/kernel';
import type { IncomingMessage, MessageHandler } from '@stockade/messaging';
import type { InventoryWriter } from './inventory-writer';
import type { CommitOutcome, ReservationChange, ReserveOutcome } from './outcomes';
import { reservationKey } from './streams';

/** Where a message came from, to name it in errors. */
export interface CommandOrigin {
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: string;
  /** With tracing on, `traceparent` names the span handling this message. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The consumer of TOPICS.inventoryCommands (the saga's reservation commands, and suppliers'
 * deliveries against purchase orders). Input that can never be handled (not JSON, not an
 * InventoryCommand) throws a ValidationError, which is not retriable, so the bus dead-letters
 * it at once with the field named; the writer's contention error is retriable and retried.
 * The envelope's messageId is the command id, so a redelivery stores nothing twice. A command for
 * one part of a checkout spread over shards works on that part's own reservation (reservationKey).
 */
export class InventoryCommandHandler {
  constructor(private readonly writer: Pick<InventoryWriter, 'reserve' | 'release' | 'commit' | 'receiveStock'>) {}

  /** The MessageBus handler: `bus.subscribe({ topics: [TOPICS.inventoryCommands], handler })`. */
  readonly messageHandler: MessageHandler = async (message: IncomingMessage) => {
    await this.handle(message.value, message);
  };

  async handle(
    rawValue: string,
    origin: CommandOrigin = {},
  ): Promise<ReserveOutcome | ReservationChange | CommitOutcome | InventoryView> {
    const command = parseOrThrow(InventoryCommand, parseJson(rawValue, origin));
    const traceparent = origin.headers?.['traceparent'];
    const metadata = {
      commandId: command.messageId,
      correlationId: command.correlationId,
      causationId: command.messageId,
      ...(traceparent ? { traceparent } : {}),
    };
    switch (command.type) {
      case 'ReserveStock.v1':
        return this.writer.reserve(
          reservationKey(command.data.checkoutId, command.data.shard),
          command.data.lines,
          metadata,
        );
      case 'ReleaseReservation.v1':
        return this.writer.release(
          reservationKey(command.data.checkoutId, command.data.shard),
          command.data.reason,
          metadata,
        );
      case 'CommitReservation.v1':
        return this.writer.commit(reservationKey(command.data.checkoutId, command.data.shard), metadata);
      case 'ReceivePurchaseOrder.v1':
        return this.writer.receiveStock(
          command.data.sku,
          command.data.quantity,
          metadata,
          command.data.purchaseOrderId,
        );
      default:
        return assertNever(command, 'inventory command');
    }
  }
}

function parseJson(rawValue: string, origin: CommandOrigin): unknown {
  try {
    return JSON.parse(rawValue);
  } catch (error) {
    const where =
      origin.topic === undefined
        ? 'the message'
        : `the message at ${origin.topic}/${origin.partition ?? '?'}@${origin.offset ?? '?'}`;
    throw new ValidationError([
      { field: '(value)', message: `${where} is not valid JSON: ${(error as Error).message}` },
    ]);
  }
}
