import { NotFoundError, StockadeError, ValidationError } from '@stockade/kernel';
import { carryError, reviveError } from './inventory-bridge-protocol';

/** postMessage copies by structured clone; structuredClone is the same algorithm. */
const acrossTheThread = (error: unknown) => reviveError(structuredClone(carryError(error)));

describe('errors crossing the inventory thread bridge', () => {
  it('given a NotFoundError, when it crosses, then it is a StockadeError with the same code, message and name', () => {
    const revived = acrossTheThread(new NotFoundError('sku', 'LAMP'));

    expect(revived).toBeInstanceOf(StockadeError);
    expect(revived).toMatchObject({
      code: 'NOT_FOUND',
      message: 'sku LAMP not found',
      name: 'NotFoundError',
      retriable: false,
    });
  });

  it('given a ValidationError with issues, when it crosses, then the issues come along', () => {
    const revived = acrossTheThread(new ValidationError([{ field: 'quantity', message: 'must be positive' }]));

    expect(revived).toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [{ field: 'quantity', message: 'must be positive' }],
    });
  });

  it('given a retriable StockadeError, when it crosses, then it is still retriable', () => {
    expect(acrossTheThread(new StockadeError('UNAVAILABLE', 'busy', { retriable: true }))).toMatchObject({
      code: 'UNAVAILABLE',
      retriable: true,
    });
  });

  it('given a plain Error or a thrown string, when it crosses, then it is a plain Error with the message (an HTTP 500, as before)', () => {
    const plain = acrossTheThread(new TypeError('x is undefined'));
    const thrownString = acrossTheThread('disk full');

    expect(plain).not.toBeInstanceOf(StockadeError);
    expect(plain).toMatchObject({ name: 'TypeError', message: 'x is undefined' });
    expect(thrownString).toMatchObject({ message: 'disk full' });
  });
});
