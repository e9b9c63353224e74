import { StockadeError, ValidationError } from '@stockade/kernel';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { portErrorFromKafka } from './port-error-from-kafka';

/** kafkajs builds protocol errors from the broker's error entry; this is its shape. */
function protocolError(type: string, retriable: boolean): KafkaJSProtocolError {
  return new KafkaJSProtocolError({ type, code: 0, retriable, message: `${type} from broker` } as unknown as Error);
}

describe('portErrorFromKafka', () => {
  it('given a connection failure, when translated, then it is a retriable UNAVAILABLE keeping the cause', () => {
    const cause = new KafkaJSConnectionError('Connection error: ECONNREFUSED');

    const error = portErrorFromKafka(cause, 'connecting') as StockadeError;

    expect(error).toBeInstanceOf(StockadeError);
    expect(error).toMatchObject({
      code: 'UNAVAILABLE',
      retriable: true,
      message: 'Kafka connecting failed: Connection error: ECONNREFUSED',
    });
    expect(error.cause).toBe(cause);
  });

  it('given kafkajs gave up retrying, when translated, then it is still retriable: the broker may come back', () => {
    const error = portErrorFromKafka(
      new KafkaJSNumberOfRetriesExceeded(new Error('timeout'), { retryCount: 5, retryTime: 100 }),
      'publishing',
    );

    expect(error).toMatchObject({ code: 'UNAVAILABLE', retriable: true });
  });

  it.each([
    ['MESSAGE_TOO_LARGE', 'PAYLOAD_TOO_LARGE'],
    ['INVALID_TOPIC_EXCEPTION', 'VALIDATION_FAILED'],
    ['TOPIC_AUTHORIZATION_FAILED', 'UNAUTHORIZED'],
  ])('given the broker refusing with %s, when translated, then it is a non-retriable %s', (type, code) => {
    expect(portErrorFromKafka(protocolError(type, false), 'publishing')).toMatchObject({ code, retriable: false });
  });

  it('given a retriable protocol error, when translated, then the retriable flag is kept', () => {
    expect(portErrorFromKafka(protocolError('NOT_LEADER_FOR_PARTITION', true), 'publishing')).toMatchObject({
      code: 'UNAVAILABLE',
      retriable: true,
    });
  });

  it('given our own or a foreign error, when translated, then it passes through untouched', () => {
    const ours = new ValidationError([{ field: 'key', message: 'must be a string' }]);
    const bug = new TypeError('x is undefined');

    expect(portErrorFromKafka(ours, 'publishing')).toBe(ours);
    expect(portErrorFromKafka(bug, 'publishing')).toBe(bug);
  });
});
