import { formatCount as number, formatMs } from './format';
import type { ArmFigures } from './summary';

export interface RateWithinTarget {
  readonly workload: string;
  readonly arm: string;
  readonly p99TargetMs: number;
  /** Undefined: no rate tried kept the p99 within the target, or none was tried. */
  readonly ratePerSecond: number | undefined;
  readonly lowestTried?: { readonly ratePerSecond: number; readonly p99Ms: number; readonly pass: boolean };
}

/** The figures as a Markdown table: readable on a terminal, pasteable into docs/benchmarks.md. */
export function figuresTable(figures: readonly ArmFigures[]): string {
  const rows = figures.map((f) => [
    f.workload,
    f.loop,
    f.ratePerSecond === undefined ? 'max' : number(f.ratePerSecond),
    f.arm,
    String(f.runs),
    f.runs > 1
      ? `${number(f.decidedPerSecond.median)} (${number(f.decidedPerSecond.min)}–${number(f.decidedPerSecond.max)})`
      : number(f.decidedPerSecond.median),
    `${formatMs(f.latencyMs.p50)} / ${formatMs(f.latencyMs.p99)} / ${formatMs(f.latencyMs.p999)}`,
    number(f.cpuMicrosPerCheckout),
    number(f.loadClientCpuMicrosPerCheckout),
    number(f.peakRssMiB),
    f.pass ? 'pass' : 'FAIL',
  ]);
  return markdownTable(
    [
      'workload',
      'loop',
      'offered/s',
      'arm',
      'runs',
      'decided/s',
      'accept → terminal p50 / p99 / p99.9 ms',
      'CPU µs/checkout',
      'load client µs/checkout',
      'peak RSS MiB',
      'oracle',
    ],
    rows,
  );
}

export function ratesTable(rates: readonly RateWithinTarget[]): string {
  const rows = rates.map((r) => [r.workload, r.arm, `${r.p99TargetMs} ms`, withinTarget(r)]);
  return markdownTable(['workload', 'arm', 'p99 target', 'highest open-loop rate within it'], rows);
}

function withinTarget(r: RateWithinTarget): string {
  if (r.ratePerSecond !== undefined) return `${number(r.ratePerSecond)}/s`;
  if (!r.lowestTried) return 'not run';
  const lowest = `${number(r.lowestTried.ratePerSecond)}/s, the lowest rate tried`;
  return r.lowestTried.pass
    ? `none: p99 ${formatMs(r.lowestTried.p99Ms)} ms at ${lowest}`
    : `none: a run at ${lowest} failed`;
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] as number)).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
