import type { Ingress, IngressLog } from '../load/ingress';
import type { CpuSource } from '../measure/cpu-meter';
import type { Observation } from '../observation';

export const ARM_NAMES = [
  'embedded',
  'embedded-batch',
  'embedded-logged',
  'baseline-http',
  'distributed',
  'baseline-kafka',
] as const;
export type ArmName = (typeof ARM_NAMES)[number];

/** One way of deciding checkouts, measured the same way as every other. */
export interface Arm {
  readonly name: ArmName;
  /** The open loop's latency target for its p99 (accept → terminal). */
  readonly p99TargetMs: number;
  /** What its CPU figure counts, in words for the report. */
  readonly cpuCounted: string;
  /** When a commit is durable for this arm (fsync per commit or not), in words for the report. */
  readonly durability: string;
  /** Starts a fresh system (new data directory, tables or topics) holding `stock`. */
  start(stock: ReadonlyMap<string, number>, runId: string): Promise<RunningArm>;
}

export interface RunningArm {
  ingress(log: IngressLog): Promise<Ingress>;
  /**
   * Resolves once `total` checkouts (warm-up included) are decided, or once none was decided for
   * `stallMs`: the oracle then names what is missing.
   */
  waitForDecisions(total: number, stallMs: number): Promise<void>;
  /** Decisions and stock after the run, from the system's own records. */
  observe(skus: readonly string[]): Promise<Observation>;
  /** True when the answer to a checkout is its decision (the HTTP baseline): terminal times are the answers' times. */
  readonly decidesOnAnswer: boolean;
  readonly cpuSources: readonly CpuSource[];
  /** Peak resident memory of each of the arm's own processes, MiB. */
  peakRssMiB(): Record<string, number | undefined>;
  stop(): Promise<void>;
}

/** Polls `count` until it reaches `total`, or until it has not moved for `stallMs`. */
export async function waitForCount(
  count: () => Promise<number>,
  total: number,
  stallMs: number,
  pollMs = 50,
): Promise<void> {
  let last = -1;
  let lastMovedAt = performance.now();
  for (;;) {
    const now = await count();
    if (now >= total) return;
    if (now !== last) [last, lastMovedAt] = [now, performance.now()];
    else if (performance.now() - lastMovedAt > stallMs) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
