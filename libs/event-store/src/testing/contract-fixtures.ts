import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '../event-store';

/**
 * What every part of the contract suite receives: the store under test, opened fresh for
 * each test. The suite never assumes the store is empty (a PostgreSQL or KurrentDB adapter
 * may share one database between tests), so every assertion is about its own random
 * streams or relative to the head position it read first.
 */
export interface ContractContext {
  store(): EventStore;
}

/** A stream name no other test (or earlier run against a shared database) has used. */
export function uniqueStreamName(prefix = 'contract'): string {
  return `${prefix}-${randomUUID()}`;
}

export function anEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    type: 'ThingHappened',
    data: { id },
    metadata: { correlationId: 'correlation-1', causationId: 'causation-1', occurredAt: '2026-01-01T00:00:00.000Z' },
    ...overrides,
  };
}

export function someEvents(count: number): NewEvent[] {
  return Array.from({ length: count }, () => anEvent());
}

/** The error a promise rejects with; fails the test when it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to be refused, but it succeeded');
}

export function expectStrictlyIncreasing(values: readonly number[]): void {
  values.slice(1).forEach((value, index) => expect(value).toBeGreaterThan(values[index] as number));
}
