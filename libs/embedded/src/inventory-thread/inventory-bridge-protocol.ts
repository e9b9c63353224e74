import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { InventoryFacade } from '@stockade/inventory-nest';
import type { StockAvailability } from '@stockade/cart-service';
import { ErrorCode, FieldIssue, StockadeError } from '@stockade/kernel';
import type { HandoffWireMessage } from '@stockade/messaging';
import type { StockadeConfig } from '@stockade/runtime';

/**
 * What the main thread may ask the inventory thread, and the messages both sides exchange.
 * Everything crosses postMessage by structured clone, so only plain data travels: a Map is fine,
 * an Error loses its class and fields, which is why errors travel as {@link CarriedError}.
 */
export interface InventoryThreadApi extends InventoryFacade, StockAvailability {
  /** The inventory store's head, for the readiness probe. */
  headPosition(): Promise<number>;
  /** The thread's metrics (prom-client JSON), merged into the main thread's /metrics. */
  metricsSnapshot(): Promise<MetricsSnapshot>;
}

export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

export type InventoryMethod = keyof InventoryThreadApi;

/** What the embedded runner tells the worker at start: the configuration its InventoryModule reads (plain data). */
export interface InventoryWorkerSettings {
  /** The embedded configuration: SQLite stores in STOCKADE_DATA_DIR. */
  readonly config: StockadeConfig;
  /** The safety net behind the appended news: how often the thread's log connection looks for the other side's commits. */
  readonly busPollIntervalMs: number;
  /** The message log's write lock, shared with the main thread's connection (ThreadSharedWriteLock). */
  readonly messageLogWriteLock: SharedArrayBuffer;
  /** Topics handed over between the threads in memory instead of through the message log (ADR 0031); empty: none. */
  readonly handoffTopics: readonly string[];
}

/** The two threads' handoffs talking (ADR 0031): carried unchanged both ways. */
export interface HandoffNews {
  readonly kind: 'handoff';
  readonly wire: HandoffWireMessage;
}

/** An error as data: enough to rebuild a StockadeError the HTTP error filter maps to the same status. */
export interface CarriedError {
  readonly name: string;
  readonly message: string;
  readonly code?: ErrorCode;
  readonly issues?: readonly FieldIssue[];
  readonly retriable?: boolean;
  readonly stack?: string;
}

/**
 * Both threads use the one message log file through connections of their own. After each append
 * a side tells the other which partitions it wrote, so the other's consumers of exactly those
 * partitions read at once, instead of every consumer re-reading at every poll.
 */
export interface AppendedNews {
  readonly kind: 'appended';
  readonly topic: string;
  readonly partitions: readonly number[];
}

export type ToInventoryThread =
  | { readonly kind: 'call'; readonly id: number; readonly method: InventoryMethod; readonly args: readonly unknown[] }
  | AppendedNews
  | HandoffNews
  | { readonly kind: 'close' };

export type FromInventoryThread =
  | { readonly kind: 'ready' }
  | { readonly kind: 'start-failed'; readonly error: CarriedError }
  | { readonly kind: 'result'; readonly id: number; readonly value: unknown }
  | { readonly kind: 'failure'; readonly id: number; readonly error: CarriedError }
  | AppendedNews
  | HandoffNews
  | { readonly kind: 'closed' };

export function carryError(error: unknown): CarriedError {
  if (error instanceof StockadeError) {
    return {
      name: error.name,
      message: error.message,
      code: error.code,
      issues: error.issues,
      retriable: error.retriable,
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  if (error instanceof Error)
    return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { name: 'Error', message: String(error) };
}

/**
 * The error again, on this side: a StockadeError with the same code, message, issues and
 * retriable flag (and class name, for logs), so callers and the HTTP filter cannot tell it crossed
 * a thread. Anything else becomes a plain Error, which the filter answers with 500 as before.
 */
export function reviveError(carried: CarriedError): Error {
  const error = carried.code
    ? new StockadeError(carried.code, carried.message, {
        retriable: carried.retriable ?? false,
        issues: carried.issues ?? [],
      })
    : new Error(carried.message);
  error.name = carried.name;
  if (carried.stack) error.stack = carried.stack;
  return error;
}
