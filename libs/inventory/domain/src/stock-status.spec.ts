import { stockStatus } from './stock-status';

describe('stockStatus', () => {
  it.each([
    [0, 'OUT_OF_STOCK'],
    [-1, 'OUT_OF_STOCK'],
    [1, 'LIMITED'],
    [5, 'LIMITED'],
    [6, 'IN_STOCK'],
  ])('given %i available and the default threshold, then the status is %s', (available, status) => {
    expect(stockStatus(available)).toBe(status);
  });

  it('given a threshold of 10, when 8 are available, then the status is LIMITED', () => {
    expect(stockStatus(8, 10)).toBe('LIMITED');
  });
});
