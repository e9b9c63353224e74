import { ValidationError } from '@stockade/kernel';
import { InMemoryMessageBus, IncomingMessage } from '@stockade/messaging';
import { replayDeadLetters } from './dead-letter-replayer';

describe('replaying dead letters', () => {
  it('given a message dead-lettered for bad input, when the cause is fixed and the operator replays, then the handler gets it again and the DLQ is drained', async () => {
    const bus = new InMemoryMessageBus();
    let accept = false;
    const handled: IncomingMessage[] = [];
    await bus.subscribe({
      groupId: 'orders',
      topics: ['checkout.requested'],
      handler: async (message) => {
        if (!accept) throw new ValidationError([{ field: 'lines', message: 'unsupported (until the fix ships)' }]);
        handled.push(message);
      },
    });
    await bus.publish('checkout.requested', [{ key: 'chk-9', value: { checkoutId: 'chk-9' } }]);
    const log: string[] = [];
    const dryRun = await replayDeadLetters(bus, {
      topic: 'checkout.requested',
      logicalTopic: (t) => t,
      dryRun: true,
      idleMs: 300,
      log: (l) => log.push(l),
    });

    accept = true;
    const report = await replayDeadLetters(bus, {
      topic: 'checkout.requested',
      logicalTopic: (t) => t,
      dryRun: false,
      idleMs: 300,
      log: (l) => log.push(l),
    });
    for (let i = 0; i < 100 && handled.length === 0; i++) await new Promise((r) => setTimeout(r, 10));

    expect(dryRun).toEqual({ replayed: 0, skipped: 1 });
    expect(log[0]).toMatch(/checkout\.requested\[\d+\]@0 key=chk-9 attempts=1 error=lines: unsupported/);
    expect(report).toEqual({ replayed: 1, skipped: 0 });
    expect(handled.map((m) => [m.key, m.value])).toEqual([['chk-9', '{"checkoutId":"chk-9"}']]);
    expect(
      await replayDeadLetters(bus, {
        topic: 'checkout.requested',
        logicalTopic: (t) => t,
        dryRun: false,
        idleMs: 200,
        log: () => undefined,
      }),
    ).toEqual({ replayed: 0, skipped: 0 });
    await bus.close();
  });

  it('given a dead letter whose key and error hold \\x1b[31m and \\r, when the replayer lists it, then the line shows them escaped and carries no control character', async () => {
    const bus = new InMemoryMessageBus();
    await bus.subscribe({
      groupId: 'orders',
      topics: ['checkout.requested'],
      handler: async () => {
        throw new ValidationError([{ field: 'customerId', message: 'not \x1b[31mred\r' }]);
      },
    });
    await bus.publish('checkout.requested', [{ key: 'chk-\x1b[31m\rX', value: { checkoutId: 'chk-10' } }]);
    const log: string[] = [];

    await replayDeadLetters(bus, {
      topic: 'checkout.requested',
      logicalTopic: (t) => t,
      dryRun: true,
      idleMs: 300,
      log: (l) => log.push(l),
    });

    expect(log).toHaveLength(1);
    expect(log[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(log[0]).toContain('key=chk-\\x1b[31m\\rX');
    expect(log[0]).toContain('error=customerId: not \\x1b[31mred\\r');
    await bus.close();
  });
});
