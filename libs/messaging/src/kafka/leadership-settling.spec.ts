import { whileLeadershipSettles } from './topic-provisioner';

const kafkaError = (type: string) => Object.assign(new Error(type), { type });

describe('requests against a topic whose leadership is settling', () => {
  it('given a broker answering NOT_LEADER_FOR_PARTITION twice, when the request is retried, then the third answer is returned', async () => {
    let calls = 0;
    const answer = await whileLeadershipSettles(async () => {
      calls++;
      if (calls < 3) throw kafkaError('NOT_LEADER_FOR_PARTITION');
      return 'offsets';
    });

    expect([answer, calls]).toEqual(['offsets', 3]);
  });

  it('given any other error, then it is thrown at once', async () => {
    let calls = 0;
    await expect(
      whileLeadershipSettles(async () => (calls++, Promise.reject(kafkaError('TOPIC_AUTHORIZATION_FAILED')))),
    ).rejects.toThrow('TOPIC_AUTHORIZATION_FAILED');
    expect(calls).toBe(1);
  });

  it('given leadership that never settles, then the last error is thrown after the timeout', async () => {
    await expect(whileLeadershipSettles(() => Promise.reject(kafkaError('LEADER_NOT_AVAILABLE')), 100)).rejects.toThrow(
      'LEADER_NOT_AVAILABLE',
    );
  });
});
