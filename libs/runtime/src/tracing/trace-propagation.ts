import {
  Context,
  context,
  propagation,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  trace,
  Tracer,
} from '@opentelemetry/api';
import type { AppendRequest, AppendResult, EventStore, NewEvent } from '@stockade/event-store';
import type { EventLogRelayOptions, HandOver, MessageBus, OutgoingMessage } from '@stockade/messaging';

/** The W3C header (and stored-metadata key) that carries a trace from one hop to the next. */
export const TRACEPARENT = 'traceparent';

/** The trace context of `ctx` as W3C carrier fields (`traceparent`, `tracestate`), {} when there is no span. */
export function traceFieldsOf(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/**
 * An event store whose appends remember the trace they were made in: each new event's metadata
 * gets the active `traceparent` unless its writer set one (the inventory's group commit sets each
 * command's own). The store is the hop between a handler and the outbox relay, so without this a
 * trace would end at every append.
 */
export function withTraceContextOnAppend(store: EventStore): EventStore {
  const stamped = (events: readonly NewEvent[], fields: Record<string, string>): NewEvent[] =>
    events.map((event) =>
      event.metadata[TRACEPARENT] === undefined ? { ...event, metadata: { ...event.metadata, ...fields } } : event,
    );
  const appendToStream: EventStore['appendToStream'] = (stream, events, options) => {
    const fields = traceFieldsOf();
    return store.appendToStream(stream, fields[TRACEPARENT] ? stamped(events, fields) : events, options);
  };
  const appendToStreams: EventStore['appendToStreams'] = (
    requests: readonly AppendRequest[],
  ): Promise<AppendResult[]> => {
    const fields = traceFieldsOf();
    return store.appendToStreams(
      fields[TRACEPARENT]
        ? requests.map((request) => ({ ...request, events: stamped(request.events, fields) }))
        : requests,
    );
  };
  return delegating(store, { appendToStream, appendToStreams });
}

/** The relay's map, with each message carrying the trace its event was stored in (as a header). */
export function relayingTraceContext(map: EventLogRelayOptions['map']): EventLogRelayOptions['map'] {
  return (event) => {
    const traceparent = event.metadata[TRACEPARENT];
    const relayed = map(event);
    if (typeof traceparent !== 'string') return relayed;
    const tracestate = event.metadata['tracestate'];
    const fields: Record<string, string> =
      typeof tracestate === 'string' ? { traceparent, tracestate } : { traceparent };
    return relayed.map(({ topic, message }) => ({
      topic,
      message: { ...message, headers: { ...message.headers, ...fields } },
    }));
  };
}

/**
 * A bus whose publishes are PRODUCER spans: each message's span is the child of the trace in its
 * own `traceparent` header (the relay puts the stored one there) or else of the active context,
 * and the header is replaced by that span, so the consumer's span hangs under the publish.
 */
export function withTracedPublishes<Bus extends MessageBus>(bus: Bus, tracer: Tracer): Bus {
  const traced = async <Result>(
    topic: string,
    messages: readonly OutgoingMessage[],
    send: (messages: readonly OutgoingMessage[]) => Promise<Result>,
  ): Promise<Result> => {
    const spans: Span[] = [];
    const withSpans = messages.map((message) => {
      const parent = message.headers?.[TRACEPARENT]
        ? propagation.extract(ROOT_CONTEXT, message.headers)
        : context.active();
      const span = tracer.startSpan(
        `${topic} publish`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.operation.type': 'send',
            'messaging.destination.name': topic,
            'messaging.kafka.message.key': message.key,
          },
        },
        parent,
      );
      spans.push(span);
      return { ...message, headers: { ...message.headers, ...traceFieldsOf(trace.setSpan(parent, span)) } };
    });
    try {
      return await send(withSpans);
    } catch (error) {
      for (const span of spans)
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  };
  const publish = (topic: string, messages: readonly OutgoingMessage[]): Promise<void> =>
    traced(topic, messages, (withSpans) => bus.publish(topic, withSpans));
  const handedOver = bus.publishHandedOver?.bind(bus);
  // A hand-over is "sent" once accepted: the span ends there, and the consumer's span hangs under it as on a broker.
  const publishHandedOver = handedOver
    ? (topic: string, messages: readonly OutgoingMessage[]): Promise<HandOver> =>
        traced(topic, messages, (withSpans) => handedOver(topic, withSpans))
    : undefined;
  return delegating(bus, { publish, ...(publishHandedOver ? { publishHandedOver } : {}) } as Partial<Bus>);
}

/**
 * `target` with some methods replaced; every other member is the target's own, methods bound to
 * it (adapters are classes with private state, and some members are optional, so a hand-written
 * wrapper would have to know them all).
 */
function delegating<Target extends object>(target: Target, overrides: Partial<Target>): Target {
  // Bound once per method, not per call: stores and buses are called many times per checkout.
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(object, property) {
      if (Object.prototype.hasOwnProperty.call(overrides, property)) return overrides[property as keyof Target];
      const value = Reflect.get(object, property, object) as unknown;
      if (typeof value !== 'function') return value;
      let method = bound.get(property);
      if (method === undefined) bound.set(property, (method = (value as (...args: unknown[]) => unknown).bind(object)));
      return method;
    },
  });
}

/** The store as it is with tracing off; with a tracer, appends remember their trace (withTraceContextOnAppend). */
export function tracedStore(store: EventStore, tracer: Tracer | null): EventStore {
  return tracer ? withTraceContextOnAppend(store) : store;
}
