import { ManualClock } from './clock';
import { deterministicId } from './ids';
import { isRetriable, StockadeError, ValidationError } from './errors';
import { foldEvents } from './decider';

describe('the kernel', () => {
  it('given the same parts, then deterministicId gives the same UUID-shaped id; other parts give another', () => {
    const id = deterministicId('command-1', 'stock-LAMP', '0');
    expect(id).toBe(deterministicId('command-1', 'stock-LAMP', '0'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicId('command-1', 'stock-LAMP', '1')).not.toBe(id);
    expect(deterministicId('a', 'bc')).not.toBe(deterministicId('ab', 'c'));
  });

  it('given a manual clock, when it advances, then now() moves by exactly that much', () => {
    const clock = new ManualClock('2026-01-01T00:00:00.000Z');
    clock.advance(90_000);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:01:30.000Z');
  });

  it('given typed errors, then only those marked retriable are retried, and validation issues name their fields', () => {
    const invalid = new ValidationError([{ field: 'lines.0.quantity', message: 'must be at least 1' }]);
    expect([
      isRetriable(invalid),
      isRetriable(new StockadeError('UNAVAILABLE', 'down', { retriable: true })),
      isRetriable(new Error('x')),
    ]).toEqual([false, true, false]);
    expect(invalid.message).toBe('lines.0.quantity: must be at least 1');
    expect(invalid.code).toBe('VALIDATION_FAILED');
  });

  it('given events, then foldEvents applies evolve from the initial state in order', () => {
    const state = foldEvents<number, number[]>({ initialState: () => [], evolve: (s, e) => [...s, e] }, [1, 2, 3]);
    expect(state).toEqual([1, 2, 3]);
  });
});
