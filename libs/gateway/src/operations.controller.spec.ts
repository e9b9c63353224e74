import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type {
  CheckReport,
  EventCursor,
  EventStart,
  OperationsFacade,
  OperatorEvent,
  OrderStory,
  Progress,
} from '@stockade/operations';
import { createHttpApp } from './create-http-app';

const OPERATOR = { authorization: 'Bearer op-secret' };

const anEvent = (position: number): OperatorEvent => ({
  source: 'orders',
  stream: 'order-o-1',
  version: position - 1,
  position,
  type: 'OrderPlaced',
  recordedAt: '2026-12-01T12:00:00.000Z',
  correlationId: 'o-1',
  causationId: 'o-1',
  orderId: 'o-1',
  tone: 'neutral',
  summary: `event ${position}`,
  data: {},
});

const cancelledStory: OrderStory = {
  orderId: 'o-1',
  checkoutId: 'o-1',
  customerId: 'alice',
  phase: 'cancelled',
  terminal: true,
  outcome: 'cancelled',
  why: 'payment declined: card expired',
  placedAt: '2026-12-01T12:00:00.000Z',
  deadlines: {},
  events: [anEvent(1)],
};

/**
 * A stand-in for the operations behind the surface: this spec is about the HTTP layer (routes,
 * access, validation, streaming, aborts); the operations themselves are tested in libs/operations
 * and end to end against the embedded system.
 */
class StandInOperations implements OperationsFacade {
  readonly checkSignals: AbortSignal[] = [];
  readonly followStarts: EventStart[] = [];
  /** Events the live feed yields, pushed by a test while a client is connected. */
  private readonly pending: OperatorEvent[] = [];
  private wake: (() => void) | undefined;

  push(event: OperatorEvent): void {
    this.pending.push(event);
    this.wake?.();
  }

  async orderStory(orderId: string) {
    return orderId === 'o-1' ? cancelledStory : undefined;
  }
  async stockStory() {
    return undefined;
  }
  async stuckOrders(options: { olderThanMs: number }) {
    return { now: '2026-12-01T12:00:00.000Z', olderThanMs: options.olderThanMs, orders: [] };
  }
  async check(options: {
    repair: boolean;
    signal?: AbortSignal;
    onProgress?: (progress: Progress) => void;
  }): Promise<CheckReport> {
    if (options.signal) this.checkSignals.push(options.signal);
    for (let done = 0; done <= 3; done++) {
      options.onProgress?.({ phase: 'skus', done, total: 3 });
      // A long check: waits until aborted when the test asks for a slow one.
      if (options.repair && options.signal)
        await new Promise((resolve) => options.signal?.addEventListener('abort', resolve, { once: true }));
      if (options.signal?.aborted) throw new Error('aborted');
    }
    return {
      ok: false,
      checkedAt: '2026-12-01T12:00:00.000Z',
      skus: 3,
      orders: 0,
      findings: [{ kind: 'reserved-mismatch', sku: 'LAMP', message: 'reserved 3, live reservations 2' }],
    };
  }
  async readEvents() {
    return { events: [anEvent(1)], next: { orders: 1, inventory: 0 } };
  }
  async *followEvents(options: {
    from: EventStart;
    signal: AbortSignal;
  }): AsyncIterable<{ event: OperatorEvent; cursor: EventCursor }> {
    this.followStarts.push(options.from);
    while (!options.signal.aborted) {
      const event = this.pending.shift();
      if (event) {
        yield { event, cursor: { orders: event.position, inventory: 0 } };
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        options.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }
  async deadLetters() {
    return [];
  }
  async deadLetter(id: string) {
    return id === 'checkout.requested.dlq:0:4'
      ? {
          id,
          topic: 'checkout.requested.dlq',
          partition: 0,
          offset: '4',
          originalTopic: 'checkout.requested',
          key: 'k',
          error: 'bad',
          valueBase64: '',
          headers: {},
        }
      : undefined;
  }
  async replayDeadLetter(id: string, by: string) {
    return { id, outcome: 'replayed' as const, by, at: '2026-12-01T12:00:00.000Z' };
  }
  async replayDeadLetters() {
    return [];
  }
}

/** Reads a Server-Sent Events response until `until` is satisfied; returns the events seen. */
async function readEvents(
  response: Response,
  until: (events: { event: string; data: unknown; id?: string }[]) => boolean,
) {
  const events: { event: string; data: unknown; id?: string }[] = [];
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((line) => !line.startsWith(':'))
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      );
      if (fields.event)
        events.push({
          event: fields.event,
          data: JSON.parse(fields.data ?? 'null'),
          ...(fields.id ? { id: fields.id } : {}),
        });
    }
  }
  await reader.cancel();
  return events;
}

describe('the operator surface (/ops)', () => {
  let app: NestFastifyApplication;
  let operations: StandInOperations;
  let url: string;

  beforeEach(async () => {
    operations = new StandInOperations();
    app = await createHttpApp(
      {
        operations,
        deadLetters: operations,
        readiness: { check: async () => ({ ready: true, details: {} }) },
        access: { operatorToken: 'op-secret', apiToken: 'api-secret-api-secret' },
      },
      { logger: false },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = await app.getUrl();
  });
  afterEach(() => app.close());

  const inject = (options: Parameters<NestFastifyApplication['inject']>[0]) => app.inject(options as never);

  it('given no token or the API token, when an operator route is called, then 401', async () => {
    expect((await inject({ method: 'GET', url: '/ops/stuck' })).statusCode).toBe(401);
    expect(
      (await inject({ method: 'GET', url: '/ops/stuck', headers: { authorization: 'Bearer api-secret-api-secret' } }))
        .statusCode,
    ).toBe(401);
  });

  it('given a cancelled order, when its story is asked for, then it comes back with the reason; an unknown order is 404', async () => {
    const known = await inject({ method: 'GET', url: '/ops/orders/o-1', headers: OPERATOR });
    expect(known.statusCode).toBe(200);
    expect(known.json()).toMatchObject({ outcome: 'cancelled', why: 'payment declined: card expired' });
    expect((await inject({ method: 'GET', url: '/ops/orders/nope', headers: OPERATOR })).statusCode).toBe(404);
  });

  it('given an invalid query, when stuck orders or events are asked for, then 400 naming the parameter', async () => {
    const stuck = await inject({ method: 'GET', url: '/ops/stuck?olderThanMs=soon', headers: OPERATOR });
    expect(stuck.statusCode).toBe(400);
    expect(stuck.json().issues[0].field).toBe('olderThanMs');
    const events = await inject({ method: 'GET', url: '/ops/events?from=yesterday', headers: OPERATOR });
    expect(events.statusCode).toBe(400);
    expect(events.json().issues[0].field).toBe('from');
  });

  it('given a check asked for as JSON, when it finishes, then the report is the body', async () => {
    const response = await inject({ method: 'POST', url: '/ops/check', headers: OPERATOR, payload: {} });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ok: false, findings: [{ kind: 'reserved-mismatch', sku: 'LAMP' }] });
  });

  it('given a check asked for as an event stream, when it runs, then progress events come before the report', async () => {
    const response = await fetch(`${url}/ops/check`, {
      method: 'POST',
      headers: { ...OPERATOR, accept: 'text/event-stream', 'content-type': 'application/json' },
      body: '{}',
    });
    const events = await readEvents(response, (seen) => seen.some((event) => event.event === 'report'));

    expect(events.filter((event) => event.event === 'progress').length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ event: 'report', data: { ok: false } });
  });

  it('given a long check on an event stream, when the client goes away, then the check is told to stop', async () => {
    const aborter = new AbortController();
    const response = await fetch(`${url}/ops/check`, {
      method: 'POST',
      headers: { ...OPERATOR, accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ repair: true }), // the stand-in's slow check
      signal: aborter.signal,
    });
    await (response.body as ReadableStream<Uint8Array>).getReader().read(); // the first progress event
    aborter.abort();

    for (let tries = 0; tries < 100 && !operations.checkSignals[0]?.aborted; tries++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(operations.checkSignals[0]?.aborted).toBe(true);
  });

  it('given a live feed, when an event is appended after the client connected, then the client receives it with its cursor as the id', async () => {
    const response = await fetch(`${url}/ops/events?order=o-1`, {
      headers: { ...OPERATOR, accept: 'text/event-stream' },
    });
    const reading = readEvents(response, (seen) => seen.some((event) => event.event === 'event'));
    for (let tries = 0; tries < 100 && operations.followStarts.length === 0; tries++)
      await new Promise((resolve) => setTimeout(resolve, 10));

    operations.push(anEvent(7));
    const events = await reading;

    expect(events.find((event) => event.event === 'event')).toMatchObject({
      id: 'orders:7,inventory:0',
      data: { position: 7, summary: 'event 7' },
    });
    expect(operations.followStarts[0]).toBe('now');
  });

  it('given a reconnecting client, when it sends Last-Event-ID, then the feed resumes from that cursor', async () => {
    const aborter = new AbortController();
    const response = await fetch(`${url}/ops/events`, {
      headers: { ...OPERATOR, accept: 'text/event-stream', 'last-event-id': 'orders:7,inventory:3' },
      signal: aborter.signal,
    });
    await readEvents(response, (seen) => seen.some((event) => event.event === 'ready'));
    aborter.abort();

    expect(operations.followStarts[0]).toEqual({ orders: 7, inventory: 3 });
  });

  it('given a dead letter, when it is replayed without saying who, then 400 naming by; an unknown one is 404; a known one is replayed by the named operator', async () => {
    const id = encodeURIComponent('checkout.requested.dlq:0:4');
    const anonymous = await inject({ method: 'POST', url: `/ops/dlq/${id}/replay`, headers: OPERATOR, payload: {} });
    expect(anonymous.statusCode).toBe(400);
    expect(anonymous.json().issues[0].field).toBe('by');
    expect(
      (await inject({ method: 'POST', url: '/ops/dlq/nope:0:1/replay', headers: OPERATOR, payload: { by: 'alice' } }))
        .statusCode,
    ).toBe(404);
    const replayed = await inject({
      method: 'POST',
      url: `/ops/dlq/${id}/replay`,
      headers: OPERATOR,
      payload: { by: 'alice' },
    });
    expect(replayed.json()).toMatchObject({ outcome: 'replayed', by: 'alice' });
  });
});
