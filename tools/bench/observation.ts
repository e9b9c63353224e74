/** A terminal outcome of one checkout, as the system under test recorded or published it. */
export interface Decision {
  readonly checkoutId: string;
  readonly status: 'COMPLETED' | 'REJECTED' | 'CANCELLED';
  /**
   * What makes this decision itself: the terminal event's id, or the outcome message's id. The
   * same decision delivered twice (at-least-once) has the same id; a second decision has another.
   */
  readonly decisionId: string;
  /** When it became terminal (epoch ms); absent where the answer to the request is the decision. */
  readonly terminalAtMs?: number;
}

/** Stock of one SKU after the run, as the system under test reports it. */
export interface StockReading {
  readonly onHand: number;
  readonly reserved: number;
}

/** What a run left behind: every decision seen, and the stock of the SKUs the run touched. */
export interface Observation {
  readonly decisions: readonly Decision[];
  readonly stockAfter: ReadonlyMap<string, StockReading>;
  /** Why the decisions seen may be incomplete (e.g. outcomes deleted before they were read): each fails the run. */
  readonly problems?: readonly string[];
}
