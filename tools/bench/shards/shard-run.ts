import type { CheckoutRequest } from '@stockade/contracts';
import type { ChildProcessSystem } from '../../client/child-process-system';
import { waitForCount } from '../arms/arm';
import type { OutcomeWatcher } from '../arms/outcome-watcher';
import { epochMs } from '../load/clock';
import { LatencySummary, newLatencyHistogram, recordMs, summarize } from '../measure/latency';
import type { Decision } from '../observation';
import type { CheckoutPublisher } from './publish-checkouts';
import type { ShardedStack } from './sharded-stack';
import { readTraffic, Traffic, trafficPerCheckout } from './traffic';

export interface ShardRunPlan {
  readonly instances: number;
  readonly spans: number;
  readonly round: number;
  readonly warmUp: readonly CheckoutRequest[];
  readonly measured: readonly CheckoutRequest[];
}

export interface ShardRunFigures {
  readonly instances: number;
  readonly spans: number;
  readonly round: number;
  readonly checkouts: number;
  readonly completed: number;
  /** From the first publish to the last measured outcome seen. */
  readonly seconds: number;
  readonly publishSeconds: number;
  readonly checkoutsPerSecond: number;
  /** Reservation parts decided per second: checkouts × spans. */
  readonly partDecisionsPerSecond: number;
  /** Publish (handed to the produce request) → outcome seen by the bench's consumer of order.events. */
  readonly latency: LatencySummary;
  readonly cpuSeconds: {
    readonly inventoryInstances: readonly number[];
    readonly inventory: number;
    readonly orderService: number;
  };
  readonly inventoryCpuSecondsPer1k: number;
  readonly orderServiceCpuSecondsPer1k: number;
  /** What the broker and PostgreSQL carried per measured checkout. */
  readonly perCheckout: Traffic;
}

/** A warm-up, awaited and thrown away, then the measured burst; throws unless every checkout of both completed exactly once. */
export async function runShards(
  system: ShardedStack,
  publisher: CheckoutPublisher,
  plan: ShardRunPlan,
  stallMs: number,
): Promise<ShardRunFigures> {
  const label = `${plan.instances} instance(s), spans ${plan.spans}, round ${plan.round}`;
  await publishAndAwait(system, publisher, plan.warmUp, stallMs, `warm-up of ${label}`);

  const trafficBefore = await readTraffic(system.stack, system.pgUrl);
  const cpuBefore = cpuOf(system);
  const startedAt = epochMs();
  const { publishedAt, publishedBy, decisions } = await publishAndAwait(
    system,
    publisher,
    plan.measured,
    stallMs,
    label,
  );
  const cpuAfter = cpuOf(system);
  // The stock levels of the last commits are relayed just after the outcomes: let them land before counting.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const perCheckout = trafficPerCheckout(
    trafficBefore,
    await readTraffic(system.stack, system.pgUrl),
    plan.measured.length,
  );

  const histogram = newLatencyHistogram();
  let lastOutcomeAt = startedAt;
  for (const decision of decisions) {
    const terminalAt = decision.terminalAtMs as number;
    recordMs(histogram, terminalAt - (publishedAt.get(decision.checkoutId) as number));
    lastOutcomeAt = Math.max(lastOutcomeAt, terminalAt);
  }
  const seconds = (lastOutcomeAt - startedAt) / 1000;
  const checkouts = plan.measured.length;
  const inventoryInstances = cpuAfter.inventory.map((after, index) =>
    round(after - (cpuBefore.inventory[index] as number)),
  );
  const inventory = inventoryInstances.reduce((sum, one) => sum + one, 0);
  const orderService = cpuAfter.orderService - cpuBefore.orderService;
  return {
    instances: plan.instances,
    spans: plan.spans,
    round: plan.round,
    checkouts,
    completed: decisions.length,
    seconds: round(seconds),
    publishSeconds: round((publishedBy - startedAt) / 1000),
    checkoutsPerSecond: Math.round(checkouts / seconds),
    partDecisionsPerSecond: Math.round((checkouts * plan.spans) / seconds),
    latency: summarize(histogram),
    cpuSeconds: { inventoryInstances, inventory: round(inventory), orderService: round(orderService) },
    inventoryCpuSecondsPer1k: round((inventory * 1000) / checkouts),
    orderServiceCpuSecondsPer1k: round((orderService * 1000) / checkouts),
    perCheckout,
  };
}

async function publishAndAwait(
  system: ShardedStack,
  publisher: CheckoutPublisher,
  checkouts: readonly CheckoutRequest[],
  stallMs: number,
  label: string,
) {
  const decidedBefore = system.outcomes.decidedCount;
  const publishedAt = await publisher.publish(checkouts);
  const publishedBy = epochMs();
  await waitForCount(async () => system.outcomes.decidedCount - decidedBefore, checkouts.length, stallMs);
  return { publishedAt, publishedBy, decisions: completedOnce(system.outcomes, checkouts, label) };
}

/** The outcome of each checkout; a checkout without one, rejected, cancelled or decided twice makes the run worthless, so it throws. */
function completedOnce(outcomes: OutcomeWatcher, checkouts: readonly CheckoutRequest[], label: string): Decision[] {
  const wanted = new Set(checkouts.map((checkout) => checkout.checkoutId));
  const byCheckout = new Map<string, Decision[]>();
  for (const decision of outcomes.decisions) {
    if (wanted.has(decision.checkoutId))
      byCheckout.set(decision.checkoutId, [...(byCheckout.get(decision.checkoutId) ?? []), decision]);
  }
  const missing = [...wanted].filter((id) => !byCheckout.has(id));
  const twice = [...byCheckout.entries()].filter(([, decisions]) => decisions.length > 1).map(([id]) => id);
  const notCompleted = [...byCheckout.values()].flat().filter((decision) => decision.status !== 'COMPLETED');
  if (missing.length || twice.length || notCompleted.length) {
    const completed = [...byCheckout.values()].filter(
      (decisions) => decisions.length === 1 && decisions[0]?.status === 'COMPLETED',
    ).length;
    const statuses = notCompleted.map((decision) => `${decision.checkoutId} ${decision.status}`);
    throw new Error(
      `${label}: only ${completed} of ${wanted.size} checkouts completed exactly once; ` +
        `no outcome: ${missing.length} (e.g. ${missing.slice(0, 5).join(', ')}); not completed: ${notCompleted.length} (e.g. ${statuses.slice(0, 5).join(', ')}); ` +
        `two outcomes: ${twice.length} (e.g. ${twice.slice(0, 5).join(', ')})`,
    );
  }
  return [...byCheckout.values()].map((decisions) => decisions[0] as Decision);
}

function cpuOf(system: ShardedStack): { inventory: number[]; orderService: number } {
  const read = (process: ChildProcessSystem, name: string) => {
    const seconds = process.cpuSeconds();
    // A process gone mid-run means a rebalance or a lost service inside the measurement.
    if (seconds === undefined || !process.running)
      throw new Error(`${name} is not running:\n${process.log.slice(-4000)}`);
    return seconds;
  };
  return {
    inventory: system.inventories.map((instance, index) => read(instance, `inventory-service #${index + 1}`)),
    orderService: read(system.stack.orders, 'order-service'),
  };
}

const round = (value: number) => Math.round(value * 1000) / 1000;
