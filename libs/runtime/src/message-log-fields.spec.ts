import { Writable } from 'node:stream';
import { InMemoryMessageBus } from '@stockade/messaging';
import { consumerGroup, MessageBusServer } from '@stockade/nest-bus';
import { createLogger } from './logger';
import { logHandlerFailures } from './message-log-fields';

/** A pino destination that keeps each JSON line, as an operator's log shipper would receive it. */
function capturedLines(): { stream: Writable; lines: Record<string, unknown>[]; text: () => string } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    stream,
    get lines() {
      return raw
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    text: () => raw.join(''),
  };
}

const listen = (server: MessageBusServer) =>
  new Promise<void>((resolve, reject) => void server.listen((error?: unknown) => (error ? reject(error) : resolve())));

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 400; tries++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('logs about messages', () => {
  it("given a handler that keeps failing on an order's message, when the bus retries and then dead-letters it, then every line names the order (correlation id), the message that caused it and the attempt, and none holds the payment token", async () => {
    const log = capturedLines();
    const bus = new InMemoryMessageBus();
    const server = new MessageBusServer(bus, {
      onHandlerFailure: logHandlerFailures(createLogger('info', 'test', log.stream)),
    });
    const failing = async () => Promise.reject(new Error('gateway said no'));
    server.addHandler(
      'payment.commands',
      failing,
      true,
      consumerGroup('payments', { maxAttempts: 3, retryBackoffMs: 1 }),
    );
    await listen(server);

    await bus.publish('payment.commands', [
      {
        key: 'order-77',
        value: {
          messageId: 'm-2',
          type: 'AuthorizePayment.v1',
          correlationId: 'order-77',
          causationId: 'm-1',
          occurredAt: '2026-12-01T00:00:00.000Z',
          data: { orderId: 'order-77', paymentToken: 'tok-4242-secret' },
        },
      },
    ]);
    await until(() => log.lines.length >= 3, 'three failure lines');
    await server.close();
    await bus.close();

    expect(
      log.lines.map(({ level, attempt, correlationId, causationId, messageId, group, topic }) => ({
        level,
        attempt,
        correlationId,
        causationId,
        messageId,
        group,
        topic,
      })),
    ).toEqual([
      {
        level: 40,
        attempt: 1,
        correlationId: 'order-77',
        causationId: 'm-1',
        messageId: 'm-2',
        group: 'payments',
        topic: 'payment.commands',
      },
      {
        level: 40,
        attempt: 2,
        correlationId: 'order-77',
        causationId: 'm-1',
        messageId: 'm-2',
        group: 'payments',
        topic: 'payment.commands',
      },
      {
        level: 50,
        attempt: 3,
        correlationId: 'order-77',
        causationId: 'm-1',
        messageId: 'm-2',
        group: 'payments',
        topic: 'payment.commands',
      },
    ]);
    expect(log.lines[2]).toMatchObject({
      msg: 'message handler failed; dead-lettered to payment.commands.dlq',
      err: { message: 'gateway said no' },
    });
    expect(log.text()).not.toContain('tok-4242-secret');
  });

  it('given a message that is not JSON, when its handler fails, then the line still says where it sits and the log does not break', async () => {
    const log = capturedLines();
    const bus = new InMemoryMessageBus();
    const server = new MessageBusServer(bus, {
      onHandlerFailure: logHandlerFailures(createLogger('info', 'test', log.stream)),
    });
    const failing = async () => Promise.reject(new Error('not a checkout'));
    server.addHandler('checkout.requested', failing, true, consumerGroup('orders', { maxAttempts: 1 }));
    await listen(server);

    await bus.publish('checkout.requested', [{ key: 'k', value: '{"checkoutId": "broken", "lines": [' }]);
    await until(() => log.lines.length >= 1, 'the failure line');
    await server.close();
    await bus.close();

    expect(log.lines[0]).toMatchObject({
      level: 50,
      topic: 'checkout.requested',
      partition: expect.any(Number),
      offset: expect.any(String),
      attempt: 1,
    });
    expect(log.lines[0]).not.toHaveProperty('correlationId');
  });
});

describe('secrets in logs', () => {
  it('given fields that carry tokens, payment tokens and passwords at the top or nested, when they are logged, then each is replaced and the rest of the line is kept', () => {
    const log = capturedLines();
    const logger = createLogger('info', 'test', log.stream);

    logger.info(
      {
        token: 'op-token-123456789',
        authorization: 'Bearer api-secret',
        checkout: { orderId: 'o-1', paymentToken: 'tok-visa-1', paymentRef: 'sim:approve:ref-1' },
        req: { headers: { authorization: 'Bearer deep-secret', host: 'shop' } },
        config: { KAFKA_SASL_PASSWORD: 'kafka-pw' },
      },
      'request',
    );

    for (const secret of [
      'op-token-123456789',
      'api-secret',
      'tok-visa-1',
      'sim:approve:ref-1',
      'deep-secret',
      'kafka-pw',
    ])
      expect(log.text()).not.toContain(secret);
    expect(log.lines[0]).toMatchObject({
      token: '[redacted]',
      authorization: '[redacted]',
      checkout: { orderId: 'o-1', paymentToken: '[redacted]', paymentRef: '[redacted]' },
      req: { headers: { authorization: '[redacted]', host: 'shop' } },
      config: { KAFKA_SASL_PASSWORD: '[redacted]' },
    });
  });
});
