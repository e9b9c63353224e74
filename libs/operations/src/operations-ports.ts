import type {
  CheckReport,
  DeadLetter,
  DeadLetterSummary,
  EventCursor,
  EventFilter,
  EventPage,
  OperatorEvent,
  OrderStory,
  Progress,
  ReplayResult,
  StockStory,
  StuckReport,
} from './operations-contract';

/** Where the event feed starts: a cursor, the first event recorded at or after a time, or the current head. */
export type EventStart = EventCursor | { readonly time: string } | 'now';

/** The questions about orders and stock (createOperations over the two event stores). */
export interface StoryOperations {
  orderStory(orderId: string): Promise<OrderStory | undefined>;
  stockStory(sku: string, options: { readonly movements: number }): Promise<StockStory | undefined>;
  stuckOrders(options: { readonly olderThanMs: number }): Promise<StuckReport>;
  /** The invariant check; with `repair` it appends the repairs it found. `signal` stops it between items. */
  check(options: {
    readonly repair: boolean;
    readonly signal?: AbortSignal;
    readonly onProgress?: (progress: Progress) => void;
  }): Promise<CheckReport>;
  readEvents(options: {
    readonly from: EventStart;
    readonly filter: EventFilter;
    readonly limit: number;
  }): Promise<EventPage>;
  /** Events as they are appended, from `from`, until `signal` aborts; each with the cursor after it. */
  followEvents(options: {
    readonly from: EventStart;
    readonly filter: EventFilter;
    readonly signal: AbortSignal;
  }): AsyncIterable<{ readonly event: OperatorEvent; readonly cursor: EventCursor }>;
}

/** The dead letters: read without consuming them, replayed once each, every replay recorded. */
export interface DeadLetterOperations {
  deadLetters(options: { readonly topic?: string }): Promise<readonly DeadLetterSummary[]>;
  deadLetter(id: string): Promise<DeadLetter | undefined>;
  replayDeadLetter(id: string, by: string): Promise<ReplayResult>;
  replayDeadLetters(options: { readonly topic?: string; readonly by: string }): Promise<readonly ReplayResult[]>;
}

/** Everything the operator HTTP surface serves. */
export type OperationsFacade = StoryOperations & DeadLetterOperations;
