import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, RunningService } from '@stockade/runtime';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startGateway } from './gateway';

const OPERATOR_TOKEN = 'gateway-edges-operator-token';
const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';
const CALLER_TRACEPARENT = `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01`;

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

/** A stand-in for the three services: answers every call with `answer`, and keeps the headers each call came with. */
async function fakeService() {
  let answer: Answer = { status: 200, body: {} };
  const received: IncomingHttpHeaders[] = [];
  const server: Server = createServer((request, response) => {
    received.push(request.headers);
    request
      .resume()
      .on('end', () =>
        response
          .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
          .end(JSON.stringify(answer.body)),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    answerWith: (next: Answer) => (answer = next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function gatewayIn(serviceUrl: string, traceExporter?: InMemorySpanExporter): Promise<RunningService> {
  return startGateway(
    loadConfig({
      PORT: '0',
      STOCKADE_QUIET: 'true',
      STOCKADE_OPERATOR_TOKEN: OPERATOR_TOKEN,
      INVENTORY_SERVICE_URL: serviceUrl,
      ORDER_SERVICE_URL: serviceUrl,
      CART_SERVICE_URL: serviceUrl,
    }),
    traceExporter ? { traceExporter } : {},
  );
}

const asOperator = (headers: Record<string, string> = {}) => ({
  headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, ...headers },
});
const traceIdOf = (traceparent: unknown) => String(traceparent).split('-')[1];
const parentIdOf = (traceparent: unknown) => String(traceparent).split('-')[2];

describe('the gateway in front of a service', () => {
  let service: Awaited<ReturnType<typeof fakeService>>;
  let gateway: RunningService;

  beforeAll(async () => {
    service = await fakeService();
    gateway = await gatewayIn(service.url);
  });

  afterAll(async () => {
    await gateway?.close();
    await service?.close();
  });

  it.each([
    { status: 403, body: { error: 'FORBIDDEN', message: 'order o-1 belongs to another channel' } },
    { status: 413, body: { error: 'PAYLOAD_TOO_LARGE', message: 'request body is larger than 65536 bytes' } },
    {
      status: 409,
      body: {
        error: 'CONFLICT',
        message: 'checkoutId reused',
        issues: [{ field: 'checkoutId', message: 'already used' }],
      },
    },
  ])(
    'given the service refuses with $status, when a caller asks through the gateway, then the caller gets the same status and body',
    async ({ status, body }) => {
      service.answerWith({ status, body });

      const response = await fetch(`${gateway.url}/orders/o-1`, asOperator());

      expect(response.status).toBe(status);
      expect(await response.json()).toEqual(body);
    },
  );

  it("given the service answers 429 with Retry-After: 7, when a caller asks through the gateway, then the caller gets 429, the service's body and Retry-After: 7", async () => {
    const body = { error: 'RATE_LIMITED', message: 'over the rate limit' };
    service.answerWith({ status: 429, body, headers: { 'retry-after': '7' } });

    const response = await fetch(`${gateway.url}/orders/o-1`, asOperator());

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual(body);
  });

  it('given the service fails with 500, when a caller asks through the gateway, then the caller gets 503 with Retry-After (an outage, not the service’s words)', async () => {
    service.answerWith({ status: 500, body: { error: 'INTERNAL', message: 'internal error' } });

    const response = await fetch(`${gateway.url}/orders/o-1`, asOperator());

    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
  });

  it("given the service refuses the gateway's own token (401), when a caller asks, then the caller gets 503, not a 401 that blames its own token", async () => {
    service.answerWith({ status: 401, body: { error: 'UNAUTHORIZED', message: 'bad token' } });

    const response = await fetch(`${gateway.url}/orders/o-1`, asOperator());

    expect(response.status).toBe(503);
    expect(response.headers.get('www-authenticate')).toBeNull();
  });

  it("given tracing is off in the gateway, when a caller sends a traceparent, then the service receives the caller's trace context unchanged", async () => {
    service.answerWith({ status: 200, body: { orderId: 'o-1' } });
    service.received.length = 0;

    await fetch(`${gateway.url}/orders/o-1`, asOperator({ traceparent: CALLER_TRACEPARENT, tracestate: 'vendor=abc' }));

    expect(service.received.map((headers) => [headers['traceparent'], headers['tracestate']])).toEqual([
      [CALLER_TRACEPARENT, 'vendor=abc'],
    ]);
  });

  it('given a caller without a traceparent and tracing off, then the service receives none (the gateway invents no trace)', async () => {
    service.answerWith({ status: 200, body: { orderId: 'o-1' } });
    service.received.length = 0;

    await fetch(`${gateway.url}/orders/o-1`, asOperator());

    expect(service.received.map((headers) => headers['traceparent'])).toEqual([undefined]);
  });
});

describe('a traced gateway in front of a service', () => {
  it("given a caller's traceparent, when it asks through the gateway, then the service's call is in the caller's trace, under the gateway's span", async () => {
    const exporter = new InMemorySpanExporter();
    const service = await fakeService();
    const gateway = await gatewayIn(service.url, exporter);
    service.answerWith({ status: 200, body: { orderId: 'o-1' } });
    let spans: ReturnType<InMemorySpanExporter['getFinishedSpans']> = [];
    try {
      await fetch(`${gateway.url}/orders/o-1`, asOperator({ traceparent: CALLER_TRACEPARENT }));
      // The request's span ends just after the answer; the exporter forgets its spans at shutdown.
      while (exporter.getFinishedSpans().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      spans = [...exporter.getFinishedSpans()];
    } finally {
      await gateway.close();
      await service.close();
    }

    const [forwarded] = service.received.map((headers) => headers['traceparent']);
    expect(traceIdOf(forwarded)).toBe(CALLER_TRACE_ID);
    expect(parentIdOf(forwarded)).not.toBe(CALLER_SPAN_ID);
    const gatewaySpan = spans.find((span) => span.spanContext().spanId === parentIdOf(forwarded));
    expect(gatewaySpan?.spanContext().traceId).toBe(CALLER_TRACE_ID);
    expect(gatewaySpan?.parentSpanContext?.spanId).toBe(CALLER_SPAN_ID);
  });
});
