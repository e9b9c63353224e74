import { PostgresEventStore } from '@stockade/event-store/postgres';
import type { LiveLevel } from '@stockade/api';
import { DLQ_HEADERS } from '@stockade/messaging';
import type { CheckoutRequest, OrderView } from '@stockade/contracts';
import type { CheckReport, DeadLetter, DeadLetterSummary, OrderStory, ReplayResult } from '@stockade/operations';
import { OPERATOR_TOKEN } from '../../../tools/client/child-process-system';
import { DistributedStack, POSTGRES_URL } from '../../../tools/client/distributed-stack';
import { followLiveStock } from '../../../tools/client/live-stock-reader';
import { OtlpReceiver } from '../../../tools/client/otlp-receiver';
import { RecordedMessage, TopicRecorder } from '../../../tools/client/topic-recorder';

jest.setTimeout(240_000);

/** A message that is not even JSON: it is dead-lettered, and cannot be replayed through a JSON publish. */
const BAD_MESSAGE = '{"checkoutId": "broken", "lines": [';

const terminalTypes = new Set(['OrderCompleted.v1', 'OrderRejected.v1', 'OrderCancelled.v1']);
const terminalEventsByOrder = (messages: readonly RecordedMessage[]) => {
  const byOrder = new Map<string, Set<string>>();
  for (const message of messages) {
    const envelope = JSON.parse(message.value) as { messageId: string; type: string; data: { orderId: string } };
    if (!terminalTypes.has(envelope.type)) continue;
    byOrder.set(envelope.data.orderId, (byOrder.get(envelope.data.orderId) ?? new Set()).add(envelope.messageId));
  }
  return byOrder;
};

describe('the distributed system on real Kafka, PostgreSQL and Redis', () => {
  // Every service exports its spans to this stand-in collector, as they would to an operator's.
  const collector = new OtlpReceiver();
  let stack: DistributedStack;
  let outcomes: TopicRecorder;
  let deadLetters: TopicRecorder;

  beforeAll(async () => {
    stack = new DistributedStack(POSTGRES_URL, {
      OTEL_EXPORTER_OTLP_ENDPOINT: await collector.start(),
      OTEL_BSP_SCHEDULE_DELAY: '200',
      // The simulated supplier (off by default in a service run alone) delivers quickly and in full, so the restock below is prompt and exact.
      STOCKADE_SUPPLIER_SIMULATOR: 'true',
      STOCKADE_SUPPLIER_DELAY_MS: '300',
      STOCKADE_SUPPLIER_PARTIAL_RATE: '0',
    });
    await stack.start();
    outcomes = new TopicRecorder(stack.kafka, stack.topic('order.events'));
    deadLetters = new TopicRecorder(stack.kafka, stack.topic('checkout.requested.dlq'));
    await Promise.all([outcomes.start(), deadLetters.start()]);
  });

  afterAll(async () => {
    await Promise.all([outcomes?.stop(), deadLetters?.stop()]);
    await stack?.stop();
    await collector.stop();
  });

  async function stockHistory(sku: string) {
    const store = await PostgresEventStore.open({ connectionString: POSTGRES_URL, schema: stack.schemas.inventory });
    try {
      return (await store.readStream(`stock-${sku}`)).map(
        (event) => event.data as { onHand: number; reserved: number },
      );
    } finally {
      await store.close();
    }
  }

  it('given limited stock, when 300 checkouts are published to checkout.requested at once, then units sold equal the stock, availability never went negative, and every checkout has exactly one terminal event', async () => {
    const client = stack.client();
    const stock: Record<string, number> = { 'DIST-A': 40, 'DIST-B': 25, 'DIST-C': 60 };
    for (const [sku, quantity] of Object.entries(stock)) await client.receiveStock(sku, quantity);
    const skus = Object.keys(stock);
    const checkouts: CheckoutRequest[] = Array.from({ length: 300 }, (_, i) => ({
      checkoutId: `dist-${i}`,
      customerId: `c${i}`,
      lines: [{ sku: skus[i % 3] as string, quantity: 1 + (i % 2), unitPrice: 10 }],
    }));

    await stack.publish(
      'checkout.requested',
      checkouts.map((checkout) => ({ key: checkout.checkoutId, value: JSON.stringify(checkout) })),
    );
    await outcomes.waitFor(
      (messages) => checkouts.every((c) => terminalEventsByOrder(messages).has(c.checkoutId)),
      'a terminal event per checkout',
      180_000,
    );

    const terminal = terminalEventsByOrder(outcomes.messages);
    expect(checkouts.filter((c) => terminal.get(c.checkoutId)?.size !== 1)).toEqual([]);
    const orders: OrderView[] = await Promise.all(checkouts.map((c) => client.order(c.checkoutId)));
    for (const sku of skus) {
      const level = await client.stock(sku);
      const sold = orders
        .filter((o) => o.status === 'COMPLETED')
        .flatMap((o) => o.lines)
        .filter((l) => l.sku === sku)
        .reduce((sum, l) => sum + l.quantity, 0);
      expect({ sku, onHand: level.onHand, reserved: level.reserved }).toEqual({
        sku,
        onHand: (stock[sku] as number) - sold,
        reserved: 0,
      });
      expect(sold).toBeGreaterThan((stock[sku] as number) - 2); // demand exceeds stock: it sells out (a 2-unit line may not fit the last unit)
      expect((await stockHistory(sku)).filter((h) => h.onHand - h.reserved < 0)).toEqual([]);
    }
    // Sold out or down to its last unit: every raced SKU is on the operator's low-stock list.
    const low = await client.listStock({ status: 'LIMITED,OUT_OF_STOCK', limit: 1000 });
    expect(skus.filter((sku) => !low.items.some((view) => view.sku === sku))).toEqual([]);
  });

  it('given the same checkout published twice, then there is one order and one terminal event', async () => {
    const client = stack.client();
    await client.receiveStock('DIST-DUP', 5);
    const checkout = JSON.stringify({
      checkoutId: 'dist-dup-1',
      customerId: 'c',
      lines: [{ sku: 'DIST-DUP', quantity: 2, unitPrice: 3 }],
    });

    await stack.publish('checkout.requested', [{ key: 'dist-dup-1', value: checkout }]);
    await stack.publish('checkout.requested', [{ key: 'dist-dup-1', value: checkout }]);
    await outcomes.waitFor(
      (messages) => terminalEventsByOrder(messages).has('dist-dup-1'),
      'the duplicate checkout outcome',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // room for a wrong second outcome to show up

    expect(terminalEventsByOrder(outcomes.messages).get('dist-dup-1')?.size).toBe(1);
    expect(
      outcomes.messages.filter((m) => m.key === 'dist-dup-1' && terminalTypes.has(JSON.parse(m.value).type)),
    ).toHaveLength(1);
    expect(await client.stock('DIST-DUP')).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it('given a malformed message and an unknown SKU on one partition key, then the first is dead-lettered with its reason, the second is rejected with a reason, and a later message is still processed', async () => {
    const client = stack.client();
    await client.receiveStock('DIST-OK', 5);
    const key = 'same-partition-key';

    await stack.publish('checkout.requested', [
      { key, value: BAD_MESSAGE },
      {
        key,
        value: JSON.stringify({
          checkoutId: 'dist-unknown',
          customerId: 'c',
          lines: [{ sku: 'NO-SUCH-SKU', quantity: 1, unitPrice: 1 }],
        }),
      },
      {
        key,
        value: JSON.stringify({
          checkoutId: 'dist-after',
          customerId: 'c',
          lines: [{ sku: 'DIST-OK', quantity: 1, unitPrice: 1 }],
        }),
      },
    ]);
    await deadLetters.waitFor((messages) => messages.length >= 1, 'the dead-lettered message');
    await outcomes.waitFor(
      (messages) => ['dist-unknown', 'dist-after'].every((id) => terminalEventsByOrder(messages).has(id)),
      'the later outcomes',
    );

    const dead = deadLetters.messages[0] as RecordedMessage;
    expect(dead.value).toBe('{"checkoutId": "broken", "lines": [');
    expect(dead.headers[DLQ_HEADERS.originalTopic]).toBe(stack.topic('checkout.requested'));
    expect(dead.headers[DLQ_HEADERS.attempts]).toBe('1');
    expect(dead.headers[DLQ_HEADERS.error]).toMatch(/JSON|json/);
    expect(dead.headers[DLQ_HEADERS.originalOffset]).toMatch(/^\d+$/);
    expect(await client.order('dist-unknown')).toMatchObject({
      status: 'REJECTED',
      reasons: ['NO-SUCH-SKU: unknown SKU'],
    });
    expect(await client.order('dist-after')).toMatchObject({ status: 'COMPLETED' });

    // What an operator's Prometheus sees from the order service: the dead letter waiting, and lag
    // per group, topic and partition read from Kafka itself.
    const metrics = await (await fetch(`${stack.orders.url}/metrics`)).text();
    expect(metrics).toMatch(/^stockade_dead_letters\{topic="checkout\.requested\.dlq"\} [1-9]\d*$/m);
    expect(metrics).toMatch(
      /^stockade_consumer_lag_messages\{group="[^"]+",topic="checkout\.requested",partition="\d+"\} \d+$/m,
    );
    expect(metrics).not.toMatch(/^stockade_metrics_collect_failures_total\{/m);
  });

  it('given a load in flight, when the inventory process is killed with SIGKILL and restarted, then every checkout is terminal and no reservation is lost, duplicated or leaked', async () => {
    const client = stack.client();
    await client.receiveStock('DIST-KILL', 50);
    const checkouts = Array.from({ length: 120 }, (_, i) => ({
      checkoutId: `kill-${i}`,
      customerId: `c${i}`,
      lines: [{ sku: 'DIST-KILL', quantity: 1, unitPrice: 5 }],
    }));

    const publishing = stack.publish(
      'checkout.requested',
      checkouts.map((c) => ({ key: c.checkoutId, value: JSON.stringify(c) })),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stack.inventory.kill();
    await publishing;
    await new Promise((resolve) => setTimeout(resolve, 500));
    await stack.inventory.start();
    await outcomes.waitFor(
      (messages) => checkouts.every((c) => terminalEventsByOrder(messages).has(c.checkoutId)),
      'every checkout terminal after the restart',
      180_000,
    );

    const orders = await Promise.all(checkouts.map((c) => client.order(c.checkoutId)));
    const completedUnits = orders.filter((o) => o.status === 'COMPLETED').length;
    expect(orders.filter((o) => o.status === 'PENDING')).toEqual([]);
    expect(completedUnits).toBe(50);
    expect(await client.stock('DIST-KILL')).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
    expect(checkouts.filter((c) => terminalEventsByOrder(outcomes.messages).get(c.checkoutId)?.size !== 1)).toEqual([]);
    expect((await stockHistory('DIST-KILL')).filter((h) => h.onHand - h.reserved < 0)).toEqual([]);
  });

  it('given the checkouts above (a crash among them), when an operator asks the gateway, then the books balance and an order tells its story from the PostgreSQL stores', async () => {
    const ops = async <T>(path: string, body?: unknown) => {
      const response = await fetch(`${stack.gateway.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as T };
    };

    const check = await ops<CheckReport>('/ops/check', {});
    const story = await ops<OrderStory>('/ops/orders/dist-unknown');

    expect(check.status).toBe(200);
    expect(check.body.findings).toEqual([]);
    expect(check.body.orders).toBeGreaterThanOrEqual(420);
    expect(story.body).toMatchObject({ outcome: 'rejected', why: 'NO-SUCH-SKU: unknown SKU' });
    expect(story.body.events.map((event) => event.source)).toEqual(expect.arrayContaining(['orders', 'inventory']));
  });

  it('given the malformed message dead-lettered above, when an operator lists, shows and replays it through the gateway, then it is listed without being consumed, its bytes come back, the replay publishes exactly those bytes (dead-lettered again, as they are still malformed), a second replay is refused as done, and no consumer group is left behind', async () => {
    const headers = { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' };
    const dlqTopic = stack.topic('checkout.requested.dlq');
    const list = async () =>
      (await (
        await fetch(`${stack.gateway.url}/ops/dlq?topic=${encodeURIComponent(dlqTopic)}`, { headers })
      ).json()) as { deadLetters: DeadLetterSummary[] };

    const first = await list();
    const second = await list();
    const letter = first.deadLetters.find((candidate) => candidate.key === 'same-partition-key') as DeadLetterSummary;
    const shown = (await (
      await fetch(`${stack.gateway.url}/ops/dlq/${encodeURIComponent(letter.id)}`, { headers })
    ).json()) as DeadLetter;
    const copiesBefore = deadLetters.messages.filter((message) => message.value === BAD_MESSAGE).length;
    const replayOnce = async () =>
      (await (
        await fetch(`${stack.gateway.url}/ops/dlq/${encodeURIComponent(letter.id)}/replay`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ by: 'alice' }),
        })
      ).json()) as ReplayResult;
    const replay = await replayOnce();
    // The replayed bytes fail again, as they did the first time: a new dead letter with the same bytes.
    await deadLetters.waitFor(
      (messages) => messages.filter((message) => message.value === BAD_MESSAGE).length > copiesBefore,
      'the replayed message dead-lettered again',
    );
    const again = await replayOnce();
    // A connected admin of our own, disconnected after: an unconnected one leaves a socket open past the run.
    const admin = stack.kafka.admin();
    await admin.connect();
    const { groups } = await admin.listGroups().finally(() => admin.disconnect());

    expect(letter).toMatchObject({ originalTopic: stack.topic('checkout.requested'), attempts: 1 });
    expect(letter.error).toMatch(/JSON|json/);
    expect(second.deadLetters.map((candidate) => candidate.id)).toEqual(
      first.deadLetters.map((candidate) => candidate.id),
    );
    expect(Buffer.from(shown.valueBase64, 'base64').toString('utf8')).toBe(BAD_MESSAGE);
    expect(replay).toMatchObject({ outcome: 'replayed', by: 'alice' });
    expect(again).toMatchObject({ outcome: 'already-replayed', by: 'alice' });
    expect(groups.filter((group) => group.groupId.startsWith('stockade-dlq-browse-'))).toEqual([]);
  });
  it('given a checkout sent to the order service with a W3C traceparent, then the services export one trace over OTLP: the HTTP request, the Kafka publishes and the consumer spans in both services, each consumer under its publish', async () => {
    const traceId = 'a3ce929d0e0e47364bf92f3577b34da6';
    await stack.client().receiveStock('DIST-TRACED', 3);
    const response = await fetch(`${stack.orders.url}/checkouts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({
        checkoutId: 'dist-traced',
        customerId: 'c',
        paymentToken: 'tok-ok',
        lines: [{ sku: 'DIST-TRACED', quantity: 1, unitPrice: 10 }],
      }),
    });
    expect(response.status).toBe(202);
    expect(await stack.client().waitForTerminal('dist-traced', 30_000)).toMatchObject({ status: 'COMPLETED' });

    const wanted = [
      'stockade-ordering SERVER POST /checkouts',
      'stockade-ordering PRODUCER inventory.commands publish',
      'stockade-inventory CONSUMER inventory.commands process',
      'stockade-inventory PRODUCER inventory.events publish',
      'stockade-ordering CONSUMER inventory.events process',
      'stockade-ordering PRODUCER order.events publish',
    ];
    const kinds: Record<number, string> = { 2: 'SERVER', 4: 'PRODUCER', 5: 'CONSUMER' };
    const seen = () =>
      new Set(
        collector.spans
          .filter((span) => span.traceId === traceId)
          .map((span) => `${span.service} ${kinds[span.kind] ?? span.kind} ${span.name}`),
      );
    for (const deadline = Date.now() + 20_000; Date.now() < deadline && !wanted.every((name) => seen().has(name));)
      await new Promise((resolve) => setTimeout(resolve, 100));

    // Each process exports in its own batches: a consumer's span can arrive before its publisher's.
    const traced = () => collector.spans.filter((span) => span.traceId === traceId);
    const parentsArrived = () =>
      traced()
        .filter((span) => span.kind === 5)
        .every((consumer) => traced().some((span) => span.spanId === consumer.parentSpanId));
    for (const deadline = Date.now() + 10_000; Date.now() < deadline && !parentsArrived();)
      await new Promise((resolve) => setTimeout(resolve, 100));

    expect([...seen()]).toEqual(expect.arrayContaining(wanted));
    // The payment is decided inline as the reservation is taken in (ADR 0033): no payment command is traced.
    expect([...seen()].filter((name) => name.includes('payment.commands'))).toEqual([]);
    const spans = traced();
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    for (const consumer of spans.filter((span) => span.kind === 5))
      expect(byId.get(consumer.parentSpanId)?.name).toBe(consumer.name.replace(/ process$/, ' publish'));
  });
  it("given a checkout published upstream to Kafka with a W3C traceparent header, then its consumer span in the order service and the spans after it join the publisher's trace", async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await stack.client().receiveStock('DIST-KAFKA-TRACED', 2);
    const checkout = {
      checkoutId: 'dist-kafka-traced',
      customerId: 'c',
      paymentToken: 'tok-ok',
      lines: [{ sku: 'DIST-KAFKA-TRACED', quantity: 1, unitPrice: 10 }],
    };

    await stack.publish('checkout.requested', [
      {
        key: checkout.checkoutId,
        value: JSON.stringify(checkout),
        headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
      },
    ]);
    expect(await stack.client().waitForTerminal(checkout.checkoutId, 30_000)).toMatchObject({ status: 'COMPLETED' });

    const wanted = [
      'stockade-ordering 5 checkout.requested process',
      'stockade-inventory 5 inventory.commands process',
      'stockade-ordering 4 order.events publish',
    ];
    const seen = () =>
      new Set(
        collector.spans
          .filter((span) => span.traceId === traceId)
          .map((span) => `${span.service} ${span.kind} ${span.name}`),
      );
    for (const deadline = Date.now() + 20_000; Date.now() < deadline && !wanted.every((name) => seen().has(name));)
      await new Promise((resolve) => setTimeout(resolve, 100));

    expect([...seen()]).toEqual(expect.arrayContaining(wanted));
    expect(
      collector.spans.find((span) => span.traceId === traceId && span.name === 'checkout.requested process')
        ?.parentSpanId,
    ).toBe('b7ad6b7169203331');
  });

  it("given SKUs on the books, when an operator rebuilds stock levels through the gateway, then the latest level of every SKU is republished on the broker's stock-levels topic", async () => {
    const levels = new TopicRecorder(stack.kafka, stack.topic('inventory.stock-levels'));
    await levels.start();
    try {
      const skus = (await stack.client().listStock({ limit: 1000 })).items;
      const latestMessageIds = async () => {
        const byKey = new Map<string, string>();
        for (const message of levels.messages)
          byKey.set(message.key, (JSON.parse(message.value) as { messageId: string }).messageId);
        return byKey;
      };
      await levels.waitFor(
        (messages) => new Set(messages.map((message) => message.key)).size >= skus.length,
        'the levels the relay published',
      );
      const relayed = levels.messages.length;
      const before = await latestMessageIds();

      const response = await fetch(`${stack.gateway.url}/ops/rebuild/stock-levels`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
      });
      const report = (await response.json()) as { keys: number; published: number; topic: string };
      await levels.waitFor((messages) => messages.length >= relayed + report.published, 'the republished levels');

      expect(response.status).toBe(200);
      expect(report).toMatchObject({
        keys: skus.length,
        published: skus.length,
        topic: stack.topic('inventory.stock-levels'),
      });
      // Each SKU's republished message is the one its latest event became: same id, same level.
      expect(await latestMessageIds()).toEqual(before);
    } finally {
      await levels.stop();
    }
  });

  it('given a SKU with a low-stock threshold and a reorder policy followed live through the gateway, when checkouts drain it, then the stream shows the badge change, the alert and the purchase order are on their topics, and the simulated supplier restocks it', async () => {
    const client = stack.client();
    const alerts = new TopicRecorder(stack.kafka, stack.topic('inventory.alerts'));
    const reorders = new TopicRecorder(stack.kafka, stack.topic('inventory.reorders'));
    await Promise.all([alerts.start(), reorders.start()]);
    const aborter = new AbortController();
    try {
      await client.receiveStock('DIST-REORDER', 8);
      await client.configureStock('DIST-REORDER', {
        lowStockThreshold: 3,
        reorderPoint: 2,
        reorderQuantity: 30,
        supplierId: 'ACME',
      });
      const seen: LiveLevel[] = [];
      const stream = await followLiveStock(`${stack.gateway.url}/inventory/stream?skus=DIST-REORDER`, {
        signal: aborter.signal,
        onLevel: (level) => seen.push(level),
      });
      expect(stream.status).toBe(200);

      const checkouts = Array.from({ length: 6 }, (_, i) => ({
        checkoutId: `dist-reorder-${i}`,
        customerId: `r${i}`,
        lines: [{ sku: 'DIST-REORDER', quantity: 1, unitPrice: 5 }],
      }));
      await stack.publish(
        'checkout.requested',
        checkouts.map((checkout) => ({ key: checkout.checkoutId, value: JSON.stringify(checkout) })),
      );

      const types = (recorder: TopicRecorder) =>
        recorder.messages.map((message) => (JSON.parse(message.value) as { type: string }).type);
      await reorders.waitFor((messages) => messages.length >= 1, 'the purchase order', 60_000);
      await alerts.waitFor(
        () => types(alerts).includes('LowStockAlertCleared.v1'),
        'the alert to clear after the delivery',
        60_000,
      );
      await outcomes.waitFor(
        (messages) => checkouts.every((c) => terminalEventsByOrder(messages).has(c.checkoutId)),
        'the checkouts',
        60_000,
      );

      expect(types(reorders)).toEqual(['ReorderRequested.v1']);
      expect(JSON.parse(reorders.messages[0]?.value ?? '{}')).toMatchObject({
        data: { purchaseOrderId: 'PO-DIST-REORDER-0001', sku: 'DIST-REORDER', quantity: 30, supplierId: 'ACME' },
      });
      expect(types(alerts)).toEqual(['LowStockAlertRaised.v1', 'LowStockAlertCleared.v1']);
      expect(await client.stock('DIST-REORDER')).toMatchObject({ onHand: 32, reserved: 0 });
      expect((await client.replenishment()).items.find((item) => item.sku === 'DIST-REORDER')).toMatchObject({
        lowStockAlert: false,
        openPurchaseOrder: null,
      });
      // The live stream saw the SKU turn LIMITED while it drained, and the restock.
      expect(seen.some((level) => level.status === 'LIMITED')).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(seen.at(-1)).toMatchObject({ sku: 'DIST-REORDER', available: 32, status: 'IN_STOCK' });
    } finally {
      aborter.abort();
      await Promise.all([alerts.stop(), reorders.stop()]);
    }
  });

  it('given a SKU listed through the gateway, when a shopper fills a cart (cart-service on Redis, fed by the stock levels on Kafka), then the cart shows the catalog price, a shopper price is refused, and the order is paid at the catalog price', async () => {
    const client = stack.client();
    const sku = `DIST-CART-${Date.now().toString(36).toUpperCase()}`;
    const cartId = `dist-cart-${Date.now().toString(36)}`;
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${stack.gateway.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    await client.receiveStock(sku, 5);
    await client.setListing(sku, { name: 'Distributed chair', unitPrice: 49.99 });
    await call('POST', '/carts', { cartId, customerId: 'c' });

    // The listing travels inventory → inventory.stock-levels → the cart service's Redis table.
    let put = await call('PUT', `/carts/${cartId}/items/${sku}`, { quantity: 2 });
    for (let tries = 0; tries < 100 && put.status === 409; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      put = await call('PUT', `/carts/${cartId}/items/${sku}`, { quantity: 2 });
    }
    expect(await put.json()).toMatchObject({
      lines: [{ sku, name: 'Distributed chair', unitPrice: 49.99, lineTotal: 99.98 }],
      total: 99.98,
    });
    const priced = await call('PUT', `/carts/${cartId}/items/${sku}`, { quantity: 1, unitPrice: 1 });
    expect([
      priced.status,
      ((await priced.json()) as { issues: { field: string }[] }).issues.map((issue) => issue.field),
    ]).toEqual([400, ['unitPrice']]);

    const { orderId } = (await (await call('POST', `/carts/${cartId}/checkout`, {})).json()) as { orderId: string };
    expect(await client.waitForTerminal(orderId, 30_000)).toMatchObject({
      status: 'COMPLETED',
      lines: [{ sku, quantity: 2, unitPrice: 49.99 }],
      total: 99.98,
    });
  });

  it('given hostile messages on the upstream checkout topic (wrong types, unknown fields, __proto__, bytes that are not UTF-8, truncated JSON, huge ids, duplicate SKUs), then each is dead-lettered with the field named, nothing is half-written, and the valid checkout after them completes', async () => {
    const key = 'hostile-key';
    const line = { sku: 'DIST-A', quantity: 1, unitPrice: 1 };
    const hostile: { name: string; value: string | Buffer; field: string }[] = [
      {
        name: 'wrong type',
        value: JSON.stringify({ checkoutId: 'h-1', customerId: 'm', lines: [{ ...line, quantity: '1' }] }),
        field: 'lines.0.quantity',
      },
      {
        name: 'status it must not set',
        value: JSON.stringify({ checkoutId: 'h-2', customerId: 'm', lines: [line], status: 'COMPLETED' }),
        field: 'status',
      },
      {
        name: '__proto__',
        value:
          '{"checkoutId":"h-3","customerId":"m","lines":[{"sku":"DIST-A","quantity":1,"unitPrice":1}],"__proto__":{"admin":true}}',
        field: '__proto__',
      },
      { name: 'not UTF-8', value: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), field: '(body)' },
      { name: 'truncated JSON', value: '{"checkoutId":"h-5","lines":[', field: '(body)' },
      {
        name: 'huge id',
        value: JSON.stringify({ checkoutId: 'h'.repeat(10_000), customerId: 'm', lines: [line] }),
        field: 'checkoutId',
      },
      {
        name: 'duplicate SKUs',
        value: JSON.stringify({ checkoutId: 'h-7', customerId: 'm', lines: [line, line] }),
        field: 'lines',
      },
      {
        name: 'fractional quantity',
        value: JSON.stringify({ checkoutId: 'h-8', customerId: 'm', lines: [{ ...line, quantity: 0.5 }] }),
        field: 'lines.0.quantity',
      },
      {
        name: 'no price',
        value: JSON.stringify({ checkoutId: 'h-9', customerId: 'm', lines: [{ sku: 'DIST-A', quantity: 1 }] }),
        field: 'lines.0.unitPrice',
      },
      {
        name: 'price 0',
        value: JSON.stringify({ checkoutId: 'h-10', customerId: 'm', lines: [{ ...line, unitPrice: 0 }] }),
        field: 'lines.0.unitPrice',
      },
    ];
    const dlqBefore = deadLetters.messages.length;
    await stack.publish(
      'checkout.requested',
      hostile.map((message) => ({ key, value: message.value as string })),
    );
    const valid: CheckoutRequest = {
      checkoutId: 'h-valid',
      customerId: 'm',
      lines: [{ sku: 'HOSTILE-OK', quantity: 1, unitPrice: 1 }],
    };
    await stack.client().receiveStock('HOSTILE-OK', 1);
    await stack.publish('checkout.requested', [{ key, value: JSON.stringify(valid) }]);

    await deadLetters.waitFor(
      (messages) => messages.length >= dlqBefore + hostile.length,
      'every hostile message dead-lettered',
      60_000,
    );
    await outcomes.waitFor(
      (messages) => terminalEventsByOrder(messages).has('h-valid'),
      'the valid checkout after them',
      60_000,
    );
    const reasons = deadLetters.messages.slice(dlqBefore).map((message) => message.headers[DLQ_HEADERS.error] ?? '');
    hostile.forEach((message, index) =>
      expect({ name: message.name, reason: reasons[index] }).toEqual({
        name: message.name,
        reason: expect.stringContaining(message.field),
      }),
    );
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
    for (const orderId of ['h-1', 'h-2', 'h-3', 'h-7', 'h-8', 'h-9', 'h-10'])
      expect((await fetch(`${stack.gateway.url}/orders/${orderId}`)).status).toBe(404);
    expect((await stack.client().order('h-valid')).status).toBe('COMPLETED');
  });
});
