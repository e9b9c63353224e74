import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../run-arm';
import type { BenchEnvironment } from './environment';
import type { MachineInfo } from './machine';
import type { ArmFigures } from './summary';
import type { RateWithinTarget } from './table';

/** Where a report's figures come from: when, which build, which command, on what machine. */
export interface ReportProvenance {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly commit: string;
  readonly dirty: boolean;
  readonly command: string;
  readonly options: Record<string, unknown>;
  readonly machine: MachineInfo;
}

/** Everything a run of the bench measured, enough to check or recompute any figure it printed. */
export interface BenchReport extends ReportProvenance {
  /** Per arm: what its CPU figure counts. */
  readonly cpuCounted: Record<string, string>;
  /** Per arm: when its commits are durable (an fsync per commit or not), e.g. for the durable row (`--durable`). */
  readonly durability: Record<string, string>;
  /** PostgreSQL's settings, where every data directory lives and on what filesystem, what the load client's CPU counts. */
  readonly environment: BenchEnvironment;
  readonly pre?: Record<string, unknown>;
  readonly figures: readonly ArmFigures[];
  readonly ratesWithinTarget: readonly RateWithinTarget[];
  readonly runs: readonly RunResult[];
  readonly pass: boolean;
}

/** `2026-12-01T0712Z-87d1b61`: sorts by date, says which commit. */
export function reportBaseName(startedAt: Date, commit: string, dirty: boolean): string {
  const stamp = startedAt.toISOString().slice(0, 16).replace(':', '');
  return `${stamp}Z-${commit}${dirty ? '-dirty' : ''}`;
}

/** Writes `<name>.json` and `<name>.svg` into `dir`; returns their paths. */
export function writeReport(
  dir: string,
  baseName: string,
  report: BenchReport,
  svg: string,
): { json: string; svg: string } {
  mkdirSync(dir, { recursive: true });
  const paths = { json: join(dir, `${baseName}.json`), svg: join(dir, `${baseName}.svg`) };
  writeFileSync(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(paths.svg, svg);
  return paths;
}
