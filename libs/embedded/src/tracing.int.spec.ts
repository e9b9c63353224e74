import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { join } from 'node:path';
import { SqliteEventStore } from '@stockade/event-store/sqlite';
import { systemClock } from '@stockade/kernel';
import { startTestSystem } from './testing/test-system';

jest.setTimeout(60_000);

/** A W3C traceparent as an upstream service would send it: version, trace id, parent span id, sampled. */
const UPSTREAM_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const UPSTREAM_TRACEPARENT = `00-${UPSTREAM_TRACE_ID}-00f067aa0ba902b7-01`;

const describeSpan = (span: ReadableSpan) => `${SpanKind[span.kind]} ${span.name}`;

describe('tracing a checkout', () => {
  it('given tracing on, when a checkout arrives over HTTP with a traceparent, then the request, every publish and every consumer of the order, inventory and payment steps are spans of that one trace, each under its cause', async () => {
    const exporter = new InMemorySpanExporter();
    const sut = await startTestSystem({}, { traceExporter: exporter });
    let finished: ReadableSpan[] = [];
    try {
      await sut.client.receiveStock('TRACE-SKU', 5);
      const response = await fetch(`${sut.system.url}/checkouts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: UPSTREAM_TRACEPARENT },
        body: JSON.stringify({
          checkoutId: 'traced-1',
          customerId: 'c',
          paymentToken: 'tok-ok',
          lines: [{ sku: 'TRACE-SKU', quantity: 2, unitPrice: 10 }],
        }),
      });
      expect(response.status).toBe(202);
      expect((await sut.client.waitForTerminal('traced-1', 20_000, 20)).status).toBe('COMPLETED');
      // The outcome is published before its consumers' spans end: wait until order.events was handled.
      for (
        let tries = 0;
        tries < 200 && !exporter.getFinishedSpans().some((span) => span.name === 'order.events process');
        tries++
      )
        await new Promise((resolve) => setTimeout(resolve, 25));
      // Read before stopping: shutting the exporter down empties it.
      finished = [...exporter.getFinishedSpans()];
    } finally {
      await sut.stop();
    }

    const trace = finished.filter((span) => span.spanContext().traceId === UPSTREAM_TRACE_ID);
    const names = new Set(trace.map(describeSpan));
    const byId = new Map(trace.map((span) => [span.spanContext().spanId, span]));
    const parentOf = (span: ReadableSpan) => byId.get(span.parentSpanContext?.spanId ?? '');

    for (const expected of [
      'SERVER POST /checkouts',
      'PRODUCER inventory.commands publish',
      'CONSUMER inventory.commands process',
      'PRODUCER inventory.events publish',
      'CONSUMER inventory.events process',
      'PRODUCER order.events publish',
      'CONSUMER order.events process',
    ]) {
      expect([...names]).toContain(expected);
    }
    // The payment is decided inline as the reservation is taken in (ADR 0033): no payment command is traced.
    expect([...names].filter((name) => name.includes('payment.commands'))).toEqual([]);
    const request = trace.find((span) => describeSpan(span) === 'SERVER POST /checkouts') as ReadableSpan;
    expect(request.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    // Every consumer span hangs under the publish of the message it handled, and every publish under the span whose work stored its event.
    for (const consumer of trace.filter((span) => span.kind === SpanKind.CONSUMER)) {
      expect(parentOf(consumer)?.kind).toBe(SpanKind.PRODUCER);
      expect(parentOf(consumer)?.name).toBe(consumer.name.replace(/ process$/, ' publish'));
    }
    for (const publish of trace.filter((span) => span.kind === SpanKind.PRODUCER)) {
      expect([SpanKind.SERVER, SpanKind.CONSUMER]).toContain(parentOf(publish)?.kind);
    }
    expect(
      parentOf(trace.find((span) => describeSpan(span) === 'PRODUCER inventory.commands publish') as ReadableSpan),
    ).toBe(request);
  });

  it('given tracing off (no OTLP endpoint, no exporter), when a checkout completes, then no stored event carries a trace context', async () => {
    const sut = await startTestSystem();
    try {
      await sut.client.receiveStock('UNTRACED', 1);
      const { orderId } = await sut.client.checkout({
        checkoutId: 'untraced-1',
        customerId: 'c',
        paymentToken: 'tok-ok',
        lines: [{ sku: 'UNTRACED', quantity: 1, unitPrice: 10 }],
      });
      expect((await sut.client.waitForTerminal(orderId, 20_000, 20)).status).toBe('COMPLETED');
      const stores = await Promise.all(
        ['orders.db', 'inventory.db'].map((file) =>
          SqliteEventStore.open(join(sut.dataDir, file), { clock: systemClock }),
        ),
      );
      const stored = (await Promise.all(stores.map((store) => store.readAll({ limit: 10_000 })))).flat();
      await Promise.all(stores.map((store) => store.close()));
      expect(stored.length).toBeGreaterThan(4);
      expect(stored.filter((event) => 'traceparent' in event.metadata)).toEqual([]);
    } finally {
      await sut.stop();
    }
  });
});
