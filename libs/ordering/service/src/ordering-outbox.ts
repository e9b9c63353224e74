import {
  AuthorizePaymentV1,
  CommitReservationV1,
  OrderCancelledV1,
  OrderCompletedV1,
  OrderRejectedV1,
  ReleaseReservationV1,
  ReserveStockV1,
  TOPICS,
} from '@stockade/contracts';
import type { RecordedEvent } from '@stockade/event-store';
import { deterministicId } from '@stockade/kernel';
import type { RelayedMessage } from '@stockade/messaging';
import {
  InventoryRoute,
  isOrderEventType,
  ORDER_EVENT_VERSION,
  ORDER_STREAM_PREFIX,
  OrderEvent,
  parseStoredType,
  SagaCommand,
  sagaCommandsOf,
} from '@stockade/ordering-domain';
import type { z } from 'zod';
import { v1OutboxMessages } from './ordering-outbox-v1';
import type { VoidPaymentV1 } from './payment-messages';

/**
 * The order stream is the outbox: the relay hands every stored event to this mapping and
 * publishes what comes back. The saga's commands are derived from each fact (sagaCommandsOf) and
 * go to inventory (keyed by checkout id) or to the payment worker; outcomes go to upstream (keyed
 * by order id; the two ids are the same). The first message of an event has the event's id, the
 * others an id derived from it, so a relay that re-publishes sends the same messages.
 */
export function orderingOutbox(recorded: RecordedEvent): RelayedMessage[] {
  if (!recorded.stream.startsWith(ORDER_STREAM_PREFIX)) return [];
  const [type, version] = parseStoredType(recorded.type);
  // v1 stored its commands as events of their own; a store upgraded mid-flight still holds some.
  if (version === 1) return v1OutboxMessages(recorded);
  // A newer writer's event is not ours to publish.
  if (version !== ORDER_EVENT_VERSION || !isOrderEventType(type)) return [];
  const event = { type, data: recorded.data } as OrderEvent;
  const orderId = event.data.orderId;
  const messages = sagaCommandsOf(event).map((command) => commandMessage(orderId, command));
  const published = outcomeMessage(event);
  if (published) messages.push(published);
  return messages.map((message, index) => ({
    topic: message.topic,
    message: {
      key: orderId,
      value: {
        messageId: index === 0 ? recorded.id : deterministicId(recorded.id, String(index)),
        correlationId: orderId,
        causationId: recorded.metadata.causationId,
        occurredAt: recorded.metadata.occurredAt,
        ...message.value,
      },
      // A sharded inventory's command goes to its shard's partition, whatever the order id hashes to (ADR 0020).
      ...(message.partition === undefined ? {} : { partition: message.partition }),
    },
  }));
}

interface Unstamped {
  readonly topic: string;
  readonly value: { readonly type: string; readonly data: unknown };
  readonly partition?: number;
}

/** The partition of the command's shard, and the part's shard in its data when the order is in several parts. */
function routing(route: InventoryRoute | undefined): {
  readonly partition?: number;
  readonly part: { shard?: number };
} {
  if (!route) return { part: {} };
  return { partition: route.shard, part: route.part ? { shard: route.shard } : {} };
}

function commandMessage(orderId: string, command: SagaCommand): Unstamped {
  switch (command.kind) {
    case 'ReserveStock': {
      const { partition, part } = routing(command.route);
      const data = { checkoutId: orderId, lines: [...command.lines], ...part } satisfies Data<typeof ReserveStockV1>;
      return {
        topic: TOPICS.inventoryCommands,
        value: { type: 'ReserveStock.v1', data },
        ...(partition === undefined ? {} : { partition }),
      };
    }
    case 'CommitReservation': {
      const { partition, part } = routing(command.route);
      const data = { checkoutId: orderId, ...part } satisfies Data<typeof CommitReservationV1>;
      return {
        topic: TOPICS.inventoryCommands,
        value: { type: 'CommitReservation.v1', data },
        ...(partition === undefined ? {} : { partition }),
      };
    }
    case 'ReleaseReservation': {
      const { partition, part } = routing(command.route);
      const data = { checkoutId: orderId, reason: command.reason, ...part } satisfies Data<typeof ReleaseReservationV1>;
      return {
        topic: TOPICS.inventoryCommands,
        value: { type: 'ReleaseReservation.v1', data },
        ...(partition === undefined ? {} : { partition }),
      };
    }
    case 'AuthorizePayment': {
      const { amount, paymentRef } = command;
      const data = { orderId, amount, ...(paymentRef === undefined ? {} : { paymentRef }) } satisfies Data<
        typeof AuthorizePaymentV1
      >;
      return { topic: TOPICS.paymentCommands, value: { type: 'AuthorizePayment.v1', data } };
    }
    case 'VoidPayment':
      return {
        topic: TOPICS.paymentCommands,
        value: {
          type: 'VoidPayment.v1',
          data: { orderId, reason: command.reason } satisfies Data<typeof VoidPaymentV1>,
        },
      };
    default:
      return unknownCommand(command);
  }
}

function outcomeMessage(event: OrderEvent): Unstamped | undefined {
  switch (event.type) {
    case 'OrderCompleted':
      return {
        topic: TOPICS.orderEvents,
        value: {
          type: 'OrderCompleted.v1',
          data: { ...event.data, lines: [...event.data.lines] } satisfies Data<typeof OrderCompletedV1>,
        },
      };
    case 'OrderRejected':
      return {
        topic: TOPICS.orderEvents,
        value: {
          type: 'OrderRejected.v1',
          data: { ...event.data, reasons: [...event.data.reasons] } satisfies Data<typeof OrderRejectedV1>,
        },
      };
    case 'OrderCancelled':
      return {
        topic: TOPICS.orderEvents,
        value: {
          type: 'OrderCancelled.v1',
          data: { ...event.data, reasons: [...event.data.reasons] } satisfies Data<typeof OrderCancelledV1>,
        },
      };
    default:
      return undefined;
  }
}

function unknownCommand(command: never): never {
  throw new Error(`no message for saga command ${JSON.stringify(command)}`);
}

type Data<Schema extends z.ZodType> = z.input<Schema> extends { data: infer D } ? D : never;
