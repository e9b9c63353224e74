import { Bystanders } from './bystanders.fixture';
import { runChaos } from './chaos-run';

jest.setTimeout(600_000);

describe('the fault harness, CI-sized (on a broker, PostgreSQL and Redis of its own: npm test runs it beside the other suites)', () => {
  it("given a minute of load over Kafka and HTTP (10% published twice) with faults injected one at a time, then nothing is oversold, lost, duplicated or leaked, every fault is recovered from, and the machine's PostgreSQL and Redis were not touched", async () => {
    const bystanders = await Bystanders.watch();
    try {
      const report = await runChaos({
        durationS: Number(process.env['STOCKADE_CHAOS_SECONDS'] ?? 60),
        maxFaults: 8,
        rate: 15,
        seed: Number(process.env['STOCKADE_CHAOS_SEED'] ?? 11),
        kafkaPort: Number(process.env['STOCKADE_TEST_CHAOS_KAFKA_PORT'] ?? 19892),
        say: (line) => process.stdout.write(`${line}\n`),
      });
      process.stdout.write(`${report.summary}\n`);
      expect(report.findings).toEqual([]);
      expect({
        oversold: report.oversold,
        lost: report.lost,
        duplicated: report.duplicated,
        leaked: report.leaked,
        deadLettered: report.deadLettered,
      }).toEqual({ oversold: 0, lost: 0, duplicated: 0, leaked: 0, deadLettered: 0 });
      expect(report.checkouts).toBeGreaterThan(100);
      expect(report.faults.length).toBeGreaterThan(0);
      // Recovered: after each fault outcomes came again, and what was accepted before it got its outcome.
      expect(
        report.faults.filter((fault) => fault.firstOutcomeMs === undefined || fault.backlogDrainedMs === undefined),
      ).toEqual([]);
      expect(await bystanders.changes()).toEqual([]);
    } finally {
      await bystanders.stop();
    }
  });
});
