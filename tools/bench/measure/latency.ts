import * as hdr from 'hdr-histogram-js';

export type LatencyHistogram = hdr.Histogram;

/** Microseconds from 1 µs up (auto-resizing), 3 significant digits: HdrHistogram's usual latency setup. */
export function newLatencyHistogram(): LatencyHistogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

/**
 * Records a latency given in milliseconds. A value below 1 µs counts as 1 µs: a server-side
 * terminal time has millisecond resolution, so a decision taken within the send's millisecond
 * can read as a hair before it.
 */
export function recordMs(histogram: LatencyHistogram, ms: number): void {
  histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
}

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /** The whole histogram (HdrHistogram's compressed base64), so anyone can read other percentiles from the JSON. */
  readonly histogram: string;
}

export function summarize(histogram: LatencyHistogram): LatencySummary {
  const ms = (micros: number) => Math.round(micros) / 1000;
  return {
    count: histogram.totalCount,
    p50Ms: ms(histogram.getValueAtPercentile(50)),
    p99Ms: ms(histogram.getValueAtPercentile(99)),
    p999Ms: ms(histogram.getValueAtPercentile(99.9)),
    maxMs: ms(histogram.maxValue),
    histogram: hdr.encodeIntoCompressedBase64(histogram),
  };
}

/** One histogram of several runs' latencies (the runs of one arm under the same condition). */
export function mergeEncoded(encoded: readonly string[]): LatencyHistogram {
  const merged = newLatencyHistogram();
  for (const one of encoded) merged.add(hdr.decodeFromCompressedBase64(one));
  return merged;
}
