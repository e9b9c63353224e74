import { newLatencyHistogram, recordMs, summarize } from '../measure/latency';
import type { RunResult } from '../run-arm';
import { summarizeRuns } from './summary';
import { figuresTable } from './table';

function run(overrides: Partial<RunResult>): RunResult {
  const histogram = newLatencyHistogram();
  recordMs(histogram, 5);
  const latency = summarize(histogram);
  return {
    arm: 'embedded',
    workload: 'hot',
    loop: 'closed',
    runId: 'r1',
    checkouts: 1000,
    deliveries: 1000,
    decidedPerSecond: 1000,
    latency,
    answerLatency: latency,
    cpuSeconds: { stockade: 1 },
    cpuMicrosPerCheckout: 1000,
    loadClientCpuSeconds: 0.25,
    peakRssMiB: { stockade: 300 },
    clockDriftMs: 0,
    failedDeliveries: 0,
    retriedAfter503: 0,
    failureExamples: [],
    oracle: { pass: true, failures: [], soldUnits: 1, completed: 1, refused: 0 },
    pass: true,
    ...overrides,
  };
}

describe('summarizeRuns: the load client beside the arm', () => {
  it('given two runs whose bench process used 0.25 s and 0.5 s for 1,000 checkouts each, when summarized, then the load client costs the median 375 µs per checkout, apart from the arm', () => {
    const [figures] = summarizeRuns([
      run({ runId: 'a', loadClientCpuSeconds: 0.25 }),
      run({ runId: 'b', loadClientCpuSeconds: 0.5 }),
    ]);

    expect(figures).toMatchObject({ cpuMicrosPerCheckout: 1000, loadClientCpuMicrosPerCheckout: 375 });
  });

  it('given the figures, when printed as a table, then the load client has a column of its own', () => {
    const table = figuresTable(summarizeRuns([run({})]));

    expect(table.split('\n')[0]).toContain('| load client µs/checkout |');
    expect(table.split('\n')[2]).toMatch(/\| 1,000 +\| 250 +\|/);
  });
});
