import { stockStatus } from './stock-status-rule';

describe('the stock status (badge) rule', () => {
  it.each([
    [undefined, 'OUT_OF_STOCK'],
    [-1, 'OUT_OF_STOCK'],
    [0, 'OUT_OF_STOCK'],
    [1, 'LIMITED'],
    [5, 'LIMITED'],
    [6, 'IN_STOCK'],
  ] as const)('given %s available and the default threshold, then the status is %s', (available, status) => {
    expect(stockStatus(available)).toBe(status);
  });

  it('given a threshold of 10, when 8 are available, then the status is LIMITED', () => {
    expect(stockStatus(8, 10)).toBe('LIMITED');
  });

  it('given a threshold of 0, when 1 is available, then the status is IN_STOCK', () => {
    expect(stockStatus(1, 0)).toBe('IN_STOCK');
  });
});
