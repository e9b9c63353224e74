import type { Arm, ArmName, RunningArm } from './arms/arm';
import { runClosedLoop } from './load/closed-loop';
import { anchorClock, clockDriftMs } from './load/clock';
import { IngressLog } from './load/ingress';
import { runOpenLoop } from './load/open-loop';
import { CpuMeter } from './measure/cpu-meter';
import { LatencySummary, newLatencyHistogram, recordMs, summarize } from './measure/latency';
import type { Decision } from './observation';
import { checkRun, Verdict } from './oracle';
import { buildWarmUp, buildWorkload, Workload, WorkloadName } from './workloads/workloads';

export type Loop = 'closed' | 'open';

export interface RunSpec {
  readonly workload: WorkloadName;
  readonly loop: Loop;
  /** Open loop: arrivals per second. */
  readonly ratePerSecond?: number;
  readonly checkouts: number;
  readonly warmUp: number;
  readonly seed: number;
  /** Give up waiting for decisions after this long without a new one. */
  readonly stallMs: number;
}

export interface RunResult {
  readonly arm: ArmName;
  readonly workload: WorkloadName;
  readonly loop: Loop;
  readonly ratePerSecond?: number;
  readonly runId: string;
  readonly checkouts: number;
  readonly deliveries: number;
  /** Distinct checkouts decided ÷ (last terminal − first send). */
  readonly decidedPerSecond: number;
  /** Accept → terminal per checkout, from its (intended, in the open loop) first send. */
  readonly latency: LatencySummary;
  /** From the (intended) send to the ingress's answer: 202, batch item, decision or broker ack. */
  readonly answerLatency: LatencySummary;
  readonly cpuSeconds: Record<string, number>;
  readonly cpuMicrosPerCheckout: number;
  /** The bench process's own CPU over the same window (load generator, client, outcome readers): not in the arm's figure. */
  readonly loadClientCpuSeconds: number;
  readonly peakRssMiB: Record<string, number | undefined>;
  /** System clock minus the bench's clock when the last checkout was decided: how far send times may be off the server's clock (±1 ms). */
  readonly clockDriftMs: number;
  readonly failedDeliveries: number;
  readonly retriedAfter503: number;
  readonly failureExamples: readonly string[];
  readonly oracle: Verdict;
  /** The oracle passed and every delivery was taken in. */
  readonly pass: boolean;
}

let runs = 0;
const newRunId = () => `r${Date.now().toString(36)}${(runs++).toString(36)}`;

/**
 * One run of one arm on a fresh system: warm-up (left out of every figure), the measured loop
 * with the CPU meter running until the last checkout is decided, then the oracle over what the
 * system recorded.
 */
export async function runArm(arm: Arm, spec: RunSpec): Promise<RunResult> {
  const workload = buildWorkload(spec.workload, spec.checkouts, spec.seed);
  const warmUp = buildWarmUp(spec.warmUp, spec.seed + 1);
  const runId = newRunId();
  const running = await arm.start(new Map([...warmUp.stock, ...workload.stock]), runId);
  try {
    if (warmUp.checkouts.length > 0) await warmUpOn(running, warmUp, spec.stallMs);
    const log = new IngressLog();
    const ingress = await running.ingress(log);
    const meter = new CpuMeter(running.cpuSources);
    await meter.start();
    const clientCpuAtStart = process.cpuUsage();
    anchorClock();
    const sentAt =
      spec.loop === 'closed'
        ? await runClosedLoop(ingress, workload.deliveries)
        : await runOpenLoop(ingress, workload.deliveries, spec.ratePerSecond ?? 0);
    await running.waitForDecisions(warmUp.checkouts.length + workload.checkouts.length, spec.stallMs);
    const driftMs = clockDriftMs();
    const clientCpu = process.cpuUsage(clientCpuAtStart);
    const cpuSeconds = await meter.stop();
    await ingress.close();
    const peakRssMiB = running.peakRssMiB();
    const measuredIds = new Set(workload.checkouts.map((c) => c.checkoutId));
    const observation = await running.observe([...workload.stock.keys()]);
    const decisions = observation.decisions.filter((decision) => measuredIds.has(decision.checkoutId));
    const oracle = checkRun(workload, {
      decisions,
      stockAfter: observation.stockAfter,
      ...(observation.problems ? { problems: observation.problems } : {}),
    });
    const terminalAt = terminalTimes(decisions, running.decidesOnAnswer ? log.firstAnswerAt : undefined);
    const cpuTotal = Object.values(cpuSeconds).reduce((sum, seconds) => sum + seconds, 0);
    return {
      arm: arm.name,
      workload: spec.workload,
      loop: spec.loop,
      ...(spec.loop === 'open' ? { ratePerSecond: spec.ratePerSecond } : {}),
      runId,
      checkouts: workload.checkouts.length,
      deliveries: workload.deliveries.length,
      decidedPerSecond: decidedPerSecond(sentAt, terminalAt),
      latency: acceptToTerminal(sentAt, terminalAt),
      answerLatency: summarize(log.answerLatency),
      cpuSeconds,
      cpuMicrosPerCheckout: Math.round((cpuTotal * 1e6) / workload.checkouts.length),
      loadClientCpuSeconds: Math.round((clientCpu.user + clientCpu.system) / 1000) / 1000,
      peakRssMiB,
      clockDriftMs: Math.round(driftMs * 1000) / 1000,
      failedDeliveries: log.failures,
      retriedAfter503: log.retries,
      failureExamples: log.failureExamples,
      oracle,
      pass: oracle.pass && log.failures === 0,
    };
  } finally {
    await running.stop();
  }
}

/** The warm-up: its checkouts in the closed loop, every one decided before the measurement starts. */
async function warmUpOn(running: RunningArm, warmUp: Workload, stallMs: number): Promise<void> {
  const ingress = await running.ingress(new IngressLog());
  await runClosedLoop(ingress, warmUp.deliveries);
  await ingress.close();
  await running.waitForDecisions(warmUp.checkouts.length, stallMs);
}

/** Each checkout's first terminal time: the earliest of its decisions, or its answer's when the answer is the decision. */
function terminalTimes(
  decisions: readonly Decision[],
  answers: ReadonlyMap<string, number> | undefined,
): Map<string, number> {
  if (answers)
    return new Map(
      decisions.flatMap((d) =>
        answers.has(d.checkoutId) ? [[d.checkoutId, answers.get(d.checkoutId) as number]] : [],
      ),
    );
  const times = new Map<string, number>();
  for (const { checkoutId, terminalAtMs } of decisions) {
    const earlier = times.get(checkoutId);
    if (terminalAtMs !== undefined && (earlier === undefined || terminalAtMs < earlier))
      times.set(checkoutId, terminalAtMs);
  }
  return times;
}

function acceptToTerminal(
  sentAt: ReadonlyMap<string, number>,
  terminalAt: ReadonlyMap<string, number>,
): LatencySummary {
  const histogram = newLatencyHistogram();
  for (const [id, sent] of sentAt) {
    const terminal = terminalAt.get(id);
    if (terminal !== undefined) recordMs(histogram, terminal - sent);
  }
  return summarize(histogram);
}

function decidedPerSecond(sentAt: ReadonlyMap<string, number>, terminalAt: ReadonlyMap<string, number>): number {
  if (terminalAt.size === 0) return 0;
  // Loops, not Math.min(...values): a spread of 100,000 arguments overflows the stack.
  let first = Infinity;
  let last = -Infinity;
  for (const sent of sentAt.values()) first = Math.min(first, sent);
  for (const terminal of terminalAt.values()) last = Math.max(last, terminal);
  return Math.round(terminalAt.size / ((last - first) / 1000));
}
