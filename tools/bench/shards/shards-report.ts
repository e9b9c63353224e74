import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCount, formatMs } from '../report/format';
import type { ReportProvenance } from '../report/report-json';
import type { ShardRunFigures } from './shard-run';

/** One row of the table: the median of the runs of one (instances, spans) cell. */
export interface ShardCell {
  readonly instances: number;
  readonly spans: number;
  readonly runs: number;
  readonly checkoutsPerSecond: { readonly median: number; readonly min: number; readonly max: number };
  readonly partDecisionsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly inventoryCpuSecondsPer1k: number;
  readonly orderServiceCpuSecondsPer1k: number;
}

export interface ShardsReport extends ReportProvenance {
  readonly latencyMeasured: string;
  readonly cells: readonly ShardCell[];
  readonly runs: readonly ShardRunFigures[];
}

export function shardCells(runs: readonly ShardRunFigures[]): ShardCell[] {
  const cells = new Map<string, ShardRunFigures[]>();
  for (const run of runs)
    cells.set(`${run.instances}/${run.spans}`, [...(cells.get(`${run.instances}/${run.spans}`) ?? []), run]);
  return [...cells.values()]
    .map((same) => {
      const median = (figure: (run: ShardRunFigures) => number) => medianOf(same.map(figure));
      const rates = same.map((run) => run.checkoutsPerSecond);
      return {
        instances: (same[0] as ShardRunFigures).instances,
        spans: (same[0] as ShardRunFigures).spans,
        runs: same.length,
        checkoutsPerSecond: {
          median: median((run) => run.checkoutsPerSecond),
          min: Math.min(...rates),
          max: Math.max(...rates),
        },
        partDecisionsPerSecond: median((run) => run.partDecisionsPerSecond),
        p50Ms: median((run) => run.latency.p50Ms),
        p99Ms: median((run) => run.latency.p99Ms),
        inventoryCpuSecondsPer1k: median((run) => run.inventoryCpuSecondsPer1k),
        orderServiceCpuSecondsPer1k: median((run) => run.orderServiceCpuSecondsPer1k),
      };
    })
    .sort((a, b) => a.instances - b.instances || a.spans - b.spans);
}

/** Markdown, so it reads on a terminal and pastes into docs/benchmarks.md. */
export function shardsTable(cells: readonly ShardCell[]): string {
  const header = [
    'instances',
    'shards/checkout',
    'runs',
    'checkouts/s',
    'part decisions/s',
    'p50 ms',
    'p99 ms',
    'inventory CPU s/1k',
    'order-service CPU s/1k',
  ];
  const rows = cells.map((cell) => [
    String(cell.instances),
    String(cell.spans),
    String(cell.runs),
    cell.runs > 1
      ? `${whole(cell.checkoutsPerSecond.median)} (${whole(cell.checkoutsPerSecond.min)}–${whole(cell.checkoutsPerSecond.max)})`
      : whole(cell.checkoutsPerSecond.median),
    whole(cell.partDecisionsPerSecond),
    formatMs(cell.p50Ms),
    formatMs(cell.p99Ms),
    cell.inventoryCpuSecondsPer1k.toFixed(2),
    cell.orderServiceCpuSecondsPer1k.toFixed(2),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] as number)).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function writeShardsReport(dir: string, baseName: string, report: ShardsReport): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${baseName}-inventory-shards.json`);
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

const whole = (value: number) => formatCount(Math.round(value));

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return Math.round(median * 1000) / 1000;
}
