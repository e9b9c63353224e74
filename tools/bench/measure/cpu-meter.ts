import { cpuSecondsOf, startTicksOf, uptimeTicks } from '../../client/proc-stats';

/** A group of processes whose CPU counts for an arm: its own servers, its PostgreSQL backends, the broker. */
export interface CpuSource {
  readonly name: string;
  /** The processes now; may change during a run (a pool opens and closes backends). */
  pids(): Promise<readonly number[]>;
}

/**
 * CPU time used by every process of the sources between start() and stop(), from /proc. Sources
 * are listed again every `sampleEveryMs`, so a process that appears mid-run counts from its
 * birth; what a process uses between its last sample and its exit is lost (small: pools keep
 * their connections for the run).
 */
export class CpuMeter {
  private readonly atStart = new Map<string, Map<number, number>>();
  private readonly latest = new Map<string, Map<number, number>>();
  private startedAtTicks = 0;
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> = Promise.resolve();

  constructor(
    private readonly sources: readonly CpuSource[],
    private readonly sampleEveryMs = 1_000,
  ) {}

  async start(): Promise<void> {
    this.startedAtTicks = uptimeTicks();
    for (const source of this.sources) {
      const readings = new Map<number, number>();
      for (const pid of await source.pids()) {
        const cpu = cpuSecondsOf(pid);
        if (cpu !== undefined) readings.set(pid, cpu);
      }
      this.atStart.set(source.name, readings);
      this.latest.set(source.name, new Map(readings));
    }
    this.timer = setInterval(() => (this.sampling = this.sampling.then(() => this.sample())), this.sampleEveryMs);
  }

  /** CPU seconds per source over the run. */
  async stop(): Promise<Record<string, number>> {
    clearInterval(this.timer);
    await this.sampling;
    await this.sample();
    const used: Record<string, number> = {};
    for (const source of this.sources) {
      const start = this.atStart.get(source.name) ?? new Map<number, number>();
      let seconds = 0;
      for (const [pid, cpu] of this.latest.get(source.name) ?? []) seconds += cpu - (start.get(pid) ?? 0);
      used[source.name] = Math.round(seconds * 1000) / 1000;
    }
    return used;
  }

  private async sample(): Promise<void> {
    for (const source of this.sources) {
      const start = this.atStart.get(source.name) as Map<number, number>;
      const latest = this.latest.get(source.name) as Map<number, number>;
      for (const pid of await source.pids().catch(() => [] as number[])) {
        const cpu = cpuSecondsOf(pid);
        if (cpu === undefined) continue;
        // Seen for the first time: born during the run counts whole; older, only from now on.
        if (!latest.has(pid) && (startTicksOf(pid) ?? 0) < this.startedAtTicks) start.set(pid, cpu);
        latest.set(pid, cpu);
      }
    }
  }
}

/** A process the arm started itself, or one found by pid (e.g. the Kafka broker's pid file). */
export function processSource(name: string, pid: () => number | undefined): CpuSource {
  return {
    name,
    pids: async () => {
      const current = pid();
      return current === undefined ? [] : [current];
    },
  };
}
