import type { Arm, ArmName } from './arms/arm';
import { abbaOrder, rateLadder } from './plan';
import { summarizeRuns } from './report/summary';
import { Loop, runArm, RunResult, RunSpec } from './run-arm';
import type { WorkloadName } from './workloads/workloads';

export interface SessionPlan {
  readonly arms: readonly Arm[];
  readonly workloads: readonly WorkloadName[];
  readonly loops: readonly Loop[];
  /** Checkouts per closed-loop run, and the most per open-loop run. */
  readonly checkouts: number;
  /** An open-loop run lasts about this long: rate × seconds checkouts (at least 200, at most `checkouts`). */
  readonly openSeconds: number;
  /** Open-loop rates; absent: a ladder from the closed loop's maxima. */
  readonly rates?: readonly number[];
  readonly rateSteps: number;
  readonly blocks: number;
  readonly warmUp: number;
  readonly seed: number;
  readonly stallMs: number;
}

/**
 * Every run of a session. Per workload: the closed loop for every arm in A B B A order; then the
 * open loop rate by rate, upwards, each rate in A B B A order over the arms still in the race. An
 * arm leaves the race at its first rate with a p99 over its target or a failed run, and skips
 * rates above its own closed-loop maximum (it cannot keep up there).
 */
export async function runSession(plan: SessionPlan, onResult: (result: RunResult) => void): Promise<RunResult[]> {
  const results: RunResult[] = [];
  const run = async (arm: Arm, spec: Omit<RunSpec, 'warmUp' | 'seed' | 'stallMs'>) => {
    const result = await runArm(arm, { ...spec, warmUp: plan.warmUp, seed: plan.seed, stallMs: plan.stallMs });
    results.push(result);
    onResult(result);
    return result;
  };
  for (const workload of plan.workloads) {
    if (plan.loops.includes('closed')) {
      for (const arm of abbaOrder(plan.arms, plan.blocks))
        await run(arm, { workload, loop: 'closed', checkouts: plan.checkouts });
    }
    if (!plan.loops.includes('open')) continue;
    const closedMax = new Map<ArmName, number>(
      summarizeRuns(results.filter((r) => r.workload === workload && r.loop === 'closed')).map((figures) => [
        figures.arm,
        figures.decidedPerSecond.median,
      ]),
    );
    const rates = [...(plan.rates ?? rateLadder([...closedMax.values()], plan.rateSteps))].sort((a, b) => a - b);
    const inRace = new Set(plan.arms.map((arm) => arm.name));
    for (const rate of rates) {
      const runnable = plan.arms.filter(
        (arm) => inRace.has(arm.name) && !((closedMax.get(arm.name) ?? Infinity) < rate),
      );
      if (runnable.length === 0) break;
      const checkouts = Math.min(plan.checkouts, Math.max(200, Math.round(rate * plan.openSeconds)));
      const atRate: RunResult[] = [];
      for (const arm of abbaOrder(runnable, plan.blocks))
        atRate.push(await run(arm, { workload, loop: 'open', ratePerSecond: rate, checkouts }));
      for (const figures of summarizeRuns(atRate)) {
        const arm = runnable.find((a) => a.name === figures.arm) as Arm;
        if (!figures.pass || figures.latencyMs.p99 > arm.p99TargetMs) inRace.delete(arm.name);
      }
    }
  }
  return results;
}
