import { ValidationError } from '@stockade/kernel';
import { KurrentStreamNames } from './kurrent-stream-names';

describe('KurrentStreamNames', () => {
  const names = new KurrentStreamNames('test-');

  it('given a prefix, then port streams are stored under it and read back without it', () => {
    expect(names.stored('stock-LAMP')).toBe('test-stock-LAMP');
    expect(names.portName('test-stock-LAMP')).toBe('stock-LAMP');
  });

  it("given another store's stream, a system stream or a bookkeeping stream, then it is not a port stream", () => {
    expect(names.portName('other-stock-LAMP')).toBeUndefined();
    expect(names.portName('$streams')).toBeUndefined();
    expect(names.portName(names.checkpoint('relay'))).toBeUndefined();
    expect(names.portName(names.snapshot('stock-LAMP'))).toBeUndefined();
  });

  it('then bookkeeping streams are system streams, namespaced by the prefix', () => {
    expect(names.eventIdClaim('event-1')).toBe('$stockade-event-id-test-event-1');
    expect(names.checkpoint('relay')).toBe('$stockade-checkpoint-test-relay');
    expect(names.snapshot('stock-LAMP')).toBe('$stockade-snapshot-test-stock-LAMP');
  });

  it('given a stream or prefix starting with $, then it is refused: KurrentDB reserves those for system streams', () => {
    expect(() => new KurrentStreamNames('').stored('$all')).toThrow(ValidationError);
    expect(() => new KurrentStreamNames('$mine')).toThrow(ValidationError);
  });

  it('given stream prefixes, then the server filter is on the stored prefixes', () => {
    expect(names.filter(['reservation-', 'stock-'])).toEqual({ prefixes: ['test-reservation-', 'test-stock-'] });
    expect(names.filter()).toEqual({ prefixes: ['test-'] });
  });

  it('given no store prefix and no stream prefixes, then the filter keeps everything but system streams', () => {
    expect(new KurrentStreamNames('').filter()).toEqual({ regex: '^[^$]' });
    expect(new KurrentStreamNames('').filter(['stock-'])).toEqual({ prefixes: ['stock-'] });
  });
});
