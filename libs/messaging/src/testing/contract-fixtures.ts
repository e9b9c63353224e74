import { randomUUID } from 'node:crypto';
import type { IncomingMessage, MessageBus, SubscribeOptions, Subscription } from '../message-bus';

/** Generous: a Kafka adapter joins a group and fetches far more slowly than the embedded log. */
export const CONTRACT_TEST_TIMEOUT_MS = 60_000;
const WAIT_TIMEOUT_MS = 30_000;

/**
 * What every part of the contract suite receives. The bus is opened fresh for each test, but
 * it may be shared infrastructure (a Kafka cluster), so every test uses its own random
 * topics and groups and never assumes a topic is empty unless it created it.
 */
export interface ContractContext {
  bus(): MessageBus;
  /** Subscribes and remembers the subscription, so the suite closes it after the test. */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
}

export function uniqueTopic(): string {
  return `contract-${randomUUID()}`;
}

export function uniqueGroup(): string {
  return `group-${randomUUID()}`;
}

/**
 * Polls until `condition` holds: adapters deliver at their own pace, so tests wait for an
 * outcome rather than for a fixed time. Fails with `description` when it never holds.
 */
export async function waitUntil(
  condition: () => boolean,
  description: string,
  timeoutMs = WAIT_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A handler that records what it received, and the list it records into. */
export function recordingHandler(): {
  readonly received: IncomingMessage[];
  readonly handler: (message: IncomingMessage) => Promise<void>;
} {
  const received: IncomingMessage[] = [];
  return { received, handler: async (message) => void received.push(message) };
}

export function valueOf(message: IncomingMessage): unknown {
  return JSON.parse(message.value);
}

/** A few event-loop turns of random length: enough to interleave concurrent handlers differently each run. */
export async function randomSmallAwait(): Promise<void> {
  const turns = Math.floor(Math.random() * 3);
  for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setImmediate(resolve));
  if (Math.random() < 0.2) await new Promise((resolve) => setTimeout(resolve, 1));
}
