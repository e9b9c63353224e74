import { memoryVerdicts, SoakSample } from './soak-verdict';

/** A sample every 15 s for `minutes`, each process's RSS from `rssAt(seconds)`. */
function samples(minutes: number, rssAt: Record<string, (seconds: number) => number>): SoakSample[] {
  return Array.from({ length: (minutes * 60) / 15 }, (_, i) => {
    const atSeconds = (i + 1) * 15;
    return {
      atSeconds,
      sent: atSeconds * 100,
      decided: atSeconds * 100,
      processes: Object.fromEntries(
        Object.entries(rssAt).map(([name, rss]) => [name, { rssMiB: rss(atSeconds), threads: {} }]),
      ),
    };
  });
}

describe('memoryVerdicts (minute 5 against the last minute, +10%)', () => {
  it('given a process flat after warming up, when 30 minutes are judged, then it passes with its growth', () => {
    const [verdict] = memoryVerdicts(samples(30, { stockade: (s) => (s < 120 ? 300 : 400) }));

    expect(verdict).toMatchObject({
      process: 'stockade',
      referenceRssMiB: 400,
      lastMinuteRssMiB: 400,
      growth: 0,
      pass: true,
    });
    expect(verdict?.why).toBe('minute 5 400 MiB, last minute 400 MiB (+0%): within +10%');
  });

  it('given one process growing 1 MiB every 15 s and one flat, when judged, then only the growing one fails, each on its own figures', () => {
    const verdicts = memoryVerdicts(samples(30, { 'order-service': (s) => 200 + s / 15, gateway: () => 100 }));

    // Minute 5 averages 218.5 (samples at 255..300 s); the last minute 318.5: +46%.
    expect(verdicts.find((v) => v.process === 'order-service')).toMatchObject({
      referenceRssMiB: 218.5,
      lastMinuteRssMiB: 318.5,
      pass: false,
    });
    expect(verdicts.find((v) => v.process === 'gateway')).toMatchObject({ pass: true, growth: 0 });
  });

  it('given exactly +10%, when judged, then it passes; a hair over fails', () => {
    expect(memoryVerdicts(samples(10, { p: (s) => (s > 540 ? 440 : 400) }))[0]).toMatchObject({
      growth: 0.1,
      pass: true,
    });
    expect(memoryVerdicts(samples(10, { p: (s) => (s > 540 ? 441 : 400) }))[0]).toMatchObject({ pass: false });
  });

  it('given a 60-second soak, when judged, then it cannot say and tells why (no verdict, not a pass)', () => {
    const [verdict] = memoryVerdicts(samples(1, { stockade: () => 300 }));

    expect(verdict?.pass).toBeUndefined();
    expect(verdict?.why).toBe('the run lasted 60 s: its last minute must come after minute 5 (at least 360 s)');
  });

  it('given a reference minute of 1 for a short run, when judged, then minute 1 is the reference', () => {
    const [verdict] = memoryVerdicts(samples(3, { stockade: (s) => (s <= 60 ? 100 : 105) }), { referenceMinute: 1 });

    expect(verdict).toMatchObject({ referenceRssMiB: 100, lastMinuteRssMiB: 105, pass: true });
  });
});
