import { formatMs } from './format';
import type { BarPanel } from './svg-chart';
import { renderBarChart } from './svg-chart';
import type { ArmFigures } from './summary';
import type { RateWithinTarget } from './table';

/**
 * The run's chart: per workload, the closed loop's decided checkouts/s and p99 accept → terminal,
 * and (when the open loop ran) the highest open-loop rate each arm held within its p99 target;
 * one bar per arm.
 */
export function benchChart(
  title: string,
  subtitle: string,
  arms: readonly string[],
  figures: readonly ArmFigures[],
  rates: readonly RateWithinTarget[],
): string {
  const workloads = [...new Set(figures.map((f) => f.workload))];
  const closed = (workload: string, arm: string) =>
    figures.find((f) => f.workload === workload && f.arm === arm && f.loop === 'closed');
  const targets = [...new Set(rates.map((r) => `${r.p99TargetMs} ms`))].join(' / ');
  const panels: BarPanel[] = workloads.flatMap((workload) => [
    {
      title: `${workload}: decided checkouts/s (closed loop)`,
      unit: '/s',
      bars: arms.map((arm) => ({ label: arm, value: closed(workload, arm)?.decidedPerSecond.median })),
    },
    {
      title: `${workload}: p99 accept → terminal (closed loop)`,
      unit: 'ms',
      format: formatMs,
      bars: arms.map((arm) => ({ label: arm, value: closed(workload, arm)?.latencyMs.p99 })),
    },
    ...(rates.length === 0
      ? []
      : [
          {
            title: `${workload}: highest open-loop rate with p99 ≤ ${targets}`,
            unit: '/s',
            bars: arms.map((arm) => {
              const rate = rates.find((r) => r.workload === workload && r.arm === arm);
              const lowest = rate?.lowestTried;
              const missing = !lowest
                ? 'not run'
                : lowest.pass
                  ? `none (p99 ${formatMs(lowest.p99Ms)} ms at ${lowest.ratePerSecond}/s)`
                  : `none (failed at ${lowest.ratePerSecond}/s)`;
              return { label: arm, value: rate?.ratePerSecond, missing };
            }),
          },
        ]),
  ]);
  return renderBarChart(title, subtitle, panels, { columns: rates.length === 0 ? 2 : 3, colourOrder: arms });
}
