import { ValidationError } from '@stockade/kernel';
import { replayOfDeadLetter } from './dead-letter-replay';
import { DLQ_HEADERS } from './message-bus';
import type { IncomingMessage } from './message-bus';

function aDeadLetter(overrides: Partial<IncomingMessage> = {}): IncomingMessage {
  return {
    topic: 'stock.dlq',
    partition: 0,
    offset: '4',
    key: 'sku-1',
    value: '{"quantity":2}',
    headers: {
      'x-trace': 'trace-1',
      [DLQ_HEADERS.originalTopic]: 'stock',
      [DLQ_HEADERS.error]: 'boom',
      [DLQ_HEADERS.attempts]: '5',
    },
    attempt: 1,
    ...overrides,
  };
}

describe('replayOfDeadLetter', () => {
  it('given a dead letter, when prepared for replay, then it targets the original topic with the original key, value and non-DLQ headers', () => {
    expect(replayOfDeadLetter(aDeadLetter())).toEqual({
      topic: 'stock',
      message: { key: 'sku-1', value: { quantity: 2 }, headers: { 'x-trace': 'trace-1' } },
    });
  });

  it('given a message without an original topic header, when prepared for replay, then it is refused as not a dead letter', () => {
    expect(() => replayOfDeadLetter(aDeadLetter({ headers: {} }))).toThrow(ValidationError);
  });

  it('given a dead letter whose value is not JSON, when prepared for replay, then it is refused', () => {
    expect(() => replayOfDeadLetter(aDeadLetter({ value: 'not json' }))).toThrow(ValidationError);
  });
});
