/**
 * Time is an input. Domain code receives `now` in command metadata; services read it from
 * a Clock so tests can move time (reservation expiry, payment timeouts) deterministically.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock the test drives. `advance` moves time forward and returns the new instant. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(milliseconds: number): Date {
    this.current += milliseconds;
    return this.now();
  }

  set(instant: Date | string): void {
    this.current = new Date(instant).getTime();
  }
}
