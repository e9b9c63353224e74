import { reconnectDelay } from './connect-redis';

describe('the reconnect backoff', () => {
  it('given successive attempts, then the delay doubles from the base', () => {
    expect([1, 2, 3, 4].map((attempt) => reconnectDelay(attempt, 100, 3000))).toEqual([100, 200, 400, 800]);
  });

  it('given a long outage, then the delay stays at the cap', () => {
    expect([6, 7, 50].map((attempt) => reconnectDelay(attempt, 100, 3000))).toEqual([3000, 3000, 3000]);
  });
});
