import type { CheckoutRequest } from '@stockade/contracts';
import { LatencyHistogram, newLatencyHistogram, recordMs } from '../measure/latency';
import { epochMs } from './clock';

/**
 * How an arm takes checkouts in: one HTTP request per checkout, NDJSON batches, or Kafka
 * messages. The closed and open loops drive any of them.
 */
export interface Ingress {
  /** Most deliveries one send carries. */
  readonly unitSize: number;
  /** Sends in flight in the closed loop. */
  readonly closedLoopConcurrency: number;
  /** Sends the deliveries as one unit, meant to leave at `intendedAtMs`; resolves when every one was answered. */
  send(deliveries: readonly CheckoutRequest[], intendedAtMs: number): Promise<void>;
  close(): Promise<void>;
}

/** What the ingress answered: failures, retries after back-pressure, and when each checkout was first answered. */
export class IngressLog {
  failures = 0;
  retries = 0;
  readonly failureExamples: string[] = [];
  /** From the intended send to the answer (202, 207 item, decision, or broker ack). */
  readonly answerLatency: LatencyHistogram = newLatencyHistogram();
  readonly firstAnswerAt = new Map<string, number>();
  answers = 0;

  /** `rememberAnswers: false`: count and histogram only, no entry per checkout (the soak sends millions). */
  constructor(private readonly options: { readonly rememberAnswers?: boolean } = {}) {}

  answered(checkoutId: string, intendedAtMs: number, atMs = epochMs()): void {
    this.answers++;
    recordMs(this.answerLatency, atMs - intendedAtMs);
    if ((this.options.rememberAnswers ?? true) && !this.firstAnswerAt.has(checkoutId))
      this.firstAnswerAt.set(checkoutId, atMs);
  }

  failed(checkoutId: string, why: string): void {
    this.failures++;
    if (this.failureExamples.length < 5) this.failureExamples.push(`${checkoutId}: ${why}`);
  }
}
