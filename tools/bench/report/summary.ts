import type { ArmName } from '../arms/arm';
import { mergeEncoded } from '../measure/latency';
import type { Loop, RunResult } from '../run-arm';
import type { WorkloadName } from '../workloads/workloads';

/** One arm under one condition (workload, loop, rate), over all its runs. */
export interface ArmFigures {
  readonly workload: WorkloadName;
  readonly loop: Loop;
  readonly ratePerSecond?: number;
  readonly arm: ArmName;
  readonly runs: number;
  readonly decidedPerSecond: { readonly median: number; readonly min: number; readonly max: number };
  /** Percentiles of all runs' latencies together (their HdrHistograms added). */
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly p999: number };
  readonly cpuMicrosPerCheckout: number;
  /** The bench process's own CPU per checkout (median of runs): what driving the arm cost the shared cores besides the arm. */
  readonly loadClientCpuMicrosPerCheckout: number;
  /** The largest of the runs' peaks, the arm's own processes added up. */
  readonly peakRssMiB: number;
  readonly pass: boolean;
}

export function summarizeRuns(results: readonly RunResult[]): ArmFigures[] {
  const groups = new Map<string, RunResult[]>();
  for (const result of results) {
    const key = [result.workload, result.loop, result.ratePerSecond ?? '', result.arm].join('|');
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  return [...groups.values()].map((runs) => {
    const first = runs[0] as RunResult;
    const latency = mergeEncoded(runs.map((run) => run.latency.histogram));
    const ms = (percentile: number) => Math.round(latency.getValueAtPercentile(percentile)) / 1000;
    const rates = runs.map((run) => run.decidedPerSecond);
    return {
      workload: first.workload,
      loop: first.loop,
      ...(first.ratePerSecond !== undefined ? { ratePerSecond: first.ratePerSecond } : {}),
      arm: first.arm,
      runs: runs.length,
      decidedPerSecond: { median: median(rates), min: Math.min(...rates), max: Math.max(...rates) },
      latencyMs: { p50: ms(50), p99: ms(99), p999: ms(99.9) },
      cpuMicrosPerCheckout: median(runs.map((run) => run.cpuMicrosPerCheckout)),
      loadClientCpuMicrosPerCheckout: median(
        runs.map((run) => Math.round(((run.loadClientCpuSeconds ?? 0) * 1e6) / Math.max(1, run.checkouts))),
      ),
      peakRssMiB: Math.max(
        ...runs.map((run) => Object.values(run.peakRssMiB).reduce<number>((sum, mib) => sum + (mib ?? 0), 0)),
      ),
      pass: runs.every((run) => run.pass),
    };
  });
}

/**
 * The highest open-loop rate at which the arm passed with its p99 within the target (undefined
 * when none did), and how the lowest rate it tried went, to say by how much it missed.
 */
export function highestRateWithinTarget(
  figures: readonly ArmFigures[],
  workload: WorkloadName,
  arm: ArmName,
  p99TargetMs: number,
): { ratePerSecond: number | undefined; lowestTried?: { ratePerSecond: number; p99Ms: number; pass: boolean } } {
  const tried = figures
    .filter((f) => f.workload === workload && f.arm === arm && f.loop === 'open')
    .sort((a, b) => (a.ratePerSecond ?? 0) - (b.ratePerSecond ?? 0));
  const passing = tried.filter((f) => f.pass && f.latencyMs.p99 <= p99TargetMs);
  const lowest = tried[0];
  return {
    ratePerSecond: passing.length ? Math.max(...passing.map((f) => f.ratePerSecond ?? 0)) : undefined,
    ...(lowest
      ? { lowestTried: { ratePerSecond: lowest.ratePerSecond ?? 0, p99Ms: lowest.latencyMs.p99, pass: lowest.pass } }
      : {}),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : Math.round(((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2);
}
