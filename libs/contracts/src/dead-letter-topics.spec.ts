import { deadLetterTopic, isDeadLetterTopic } from './messages';
import { DeadLetterBulkReplayRequest, DeadLetterListQuery } from './operations';

describe('dead-letter topics', () => {
  it('given a topic and its dead-letter topic, then only the dead-letter topic is one (prefixed names too)', () => {
    expect(isDeadLetterTopic(deadLetterTopic('payment.commands'))).toBe(true);
    expect(isDeadLetterTopic(deadLetterTopic('prod.checkout.requested'))).toBe(true);
    expect(isDeadLetterTopic('payment.commands')).toBe(false);
    expect(isDeadLetterTopic('.dlq')).toBe(false);
    expect(isDeadLetterTopic('inventory.dlqx')).toBe(false);
  });

  it('given the dead-letter list query or bulk replay with a live topic, then it is refused naming topic', () => {
    const list = DeadLetterListQuery.safeParse({ topic: 'payment.commands' });
    expect(list.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['topic', 'must be a dead-letter topic (<topic>.dlq)'],
    ]);
    expect(
      DeadLetterBulkReplayRequest.safeParse({ by: 'ops', topic: 'payment.commands' }).error?.issues.map((issue) =>
        issue.path.join('.'),
      ),
    ).toEqual(['topic']);
    expect(DeadLetterListQuery.safeParse({ topic: 'payment.commands.dlq' }).success).toBe(true);
    expect(DeadLetterBulkReplayRequest.safeParse({ by: 'ops' }).success).toBe(true);
  });
});
