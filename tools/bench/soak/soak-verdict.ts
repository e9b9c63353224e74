/** One sample of one process during a soak. */
export interface ProcessSample {
  /** Resident memory (VmRSS), MiB; undefined when the process was gone. */
  readonly rssMiB: number | undefined;
  /** V8 heap per thread (`main`, `inventory`…), MiB, from the process's own /metrics. */
  readonly threads: Readonly<Record<string, { readonly heapUsedMiB: number; readonly heapTotalMiB: number }>>;
}

export interface SoakSample {
  /** Seconds since the soak's traffic started. */
  readonly atSeconds: number;
  /** Checkouts sent and decided so far. */
  readonly sent: number;
  readonly decided: number;
  readonly processes: Readonly<Record<string, ProcessSample>>;
}

export interface MemoryVerdict {
  readonly process: string;
  /** Mean RSS of the samples in the reference minute (minute 5: from 4:00 to 5:00). */
  readonly referenceRssMiB?: number;
  /** Mean RSS of the samples in the run's last minute. */
  readonly lastMinuteRssMiB?: number;
  /** lastMinute ÷ reference − 1. */
  readonly growth?: number;
  /** Within the tolerance; undefined when the run was too short to tell. */
  readonly pass?: boolean;
  readonly why: string;
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * Issue 22's memory target, per process: RSS in the run's last minute within `tolerance` (+10%) of
 * RSS in minute `referenceMinute` (5), each the mean of that minute's samples. A run whose last
 * minute does not come after the reference minute cannot say (pass undefined).
 */
export function memoryVerdicts(
  samples: readonly SoakSample[],
  options: { referenceMinute?: number; tolerance?: number } = {},
): MemoryVerdict[] {
  const referenceMinute = options.referenceMinute ?? 5;
  const tolerance = options.tolerance ?? 0.1;
  const end = Math.max(0, ...samples.map((sample) => sample.atSeconds));
  const referenceFrom = (referenceMinute - 1) * 60;
  const referenceTo = referenceMinute * 60;
  const lastFrom = end - 60;
  const names = [...new Set(samples.flatMap((sample) => Object.keys(sample.processes)))];
  return names.map((process) => {
    const rssIn = (from: number, to: number) =>
      samples
        .filter((sample) => sample.atSeconds > from && sample.atSeconds <= to)
        .flatMap((sample) => {
          const rss = sample.processes[process]?.rssMiB;
          return rss === undefined ? [] : [rss];
        });
    if (lastFrom < referenceTo) {
      return {
        process,
        why: `the run lasted ${Math.round(end)} s: its last minute must come after minute ${referenceMinute} (at least ${referenceTo + 60} s)`,
      };
    }
    const reference = rssIn(referenceFrom, referenceTo);
    const last = rssIn(lastFrom, end);
    if (reference.length === 0 || last.length === 0)
      return { process, why: `no RSS sample in minute ${referenceMinute} or in the last minute` };
    const referenceRssMiB = round1(mean(reference));
    const lastMinuteRssMiB = round1(mean(last));
    const growth = Math.round((lastMinuteRssMiB / referenceRssMiB - 1) * 1000) / 1000;
    const pass = growth <= tolerance;
    const sign = growth >= 0 ? '+' : '';
    return {
      process,
      referenceRssMiB,
      lastMinuteRssMiB,
      growth,
      pass,
      why: `minute ${referenceMinute} ${referenceRssMiB} MiB, last minute ${lastMinuteRssMiB} MiB (${sign}${round1(growth * 100)}%): ${pass ? 'within' : 'over'} +${Math.round(tolerance * 100)}%`,
    };
  });
}
