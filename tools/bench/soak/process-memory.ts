import { readFileSync } from 'node:fs';
import type { ProcessSample } from './soak-verdict';

/** A process the soak watches: its pid for RSS, and its /metrics for the heap of each of its threads (absent: RSS only, e.g. the broker). */
export interface WatchedProcess {
  readonly name: string;
  pid(): number | undefined;
  readonly metricsUrl?: string;
}

const MIB = 2 ** 20;

/** Resident memory now (VmRSS), MiB; undefined once the process is gone. Linux only. */
export function rssMiBOf(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The V8 heap of each thread from a Prometheus text: `stockade_thread_heap_used_bytes{thread}` and
 * `…_total_bytes`, which each thread reports from inside itself (the inventory worker thread's
 * registry is merged into the process's /metrics).
 */
export function threadHeapsFrom(metrics: string): ProcessSample['threads'] {
  const read = (metric: string) =>
    new Map(
      [...metrics.matchAll(new RegExp(`^${metric}\\{thread="([^"]+)"\\} ([0-9.e+]+)$`, 'gm'))].map((match) => [
        match[1] as string,
        Number(match[2]),
      ]),
    );
  const used = read('stockade_thread_heap_used_bytes');
  const total = read('stockade_thread_heap_total_bytes');
  const mib = (bytes: number | undefined) => Math.round(((bytes ?? 0) / MIB) * 10) / 10;
  return Object.fromEntries(
    [...used].map(([thread, bytes]) => [thread, { heapUsedMiB: mib(bytes), heapTotalMiB: mib(total.get(thread)) }]),
  );
}

/** One sample of a process: its RSS from /proc, its threads' heaps from its /metrics (empty when that cannot be read). */
export async function sampleProcess(process: WatchedProcess): Promise<ProcessSample> {
  const pid = process.pid();
  const rssMiB = pid === undefined ? undefined : rssMiBOf(pid);
  const metrics = process.metricsUrl
    ? await fetch(process.metricsUrl).then(
        (response) => response.text(),
        () => '',
      )
    : '';
  return { rssMiB, threads: threadHeapsFrom(metrics) };
}
