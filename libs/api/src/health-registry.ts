import { Injectable } from '@nestjs/common';

/** What a dependency check returns when the dependency answers: details shown under its name. */
export type HealthDetails = Readonly<Record<string, string | number | boolean>>;

/**
 * A dependency the service cannot work without: resolves with details when it answers, rejects
 * (or times out) when it does not.
 */
export type DependencyCheck = () => Promise<HealthDetails>;

/** A check that does not answer within this time counts as down: a load balancer must not hang on /health/ready. */
export const DEPENDENCY_CHECK_TIMEOUT_MS = 2_000;

/**
 * The dependencies behind GET /health/ready. Each service module registers its own (its event
 * store, the bus connection, its consumers, Redis where used) when it starts, so readiness
 * reflects exactly what this process runs, in the embedded runner and in each service alone.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, DependencyCheck>();

  register(name: string, check: DependencyCheck): void {
    if (this.checks.has(name)) throw new Error(`a readiness check named ${name} is registered already`);
    this.checks.set(name, check);
  }

  entries(): readonly (readonly [string, DependencyCheck])[] {
    return [...this.checks.entries()];
  }
}

/** Runs one check with the timeout; the error message is what an operator reads in the body. */
export async function runDependencyCheck(
  check: DependencyCheck,
  timeoutMs = DEPENDENCY_CHECK_TIMEOUT_MS,
): Promise<HealthDetails> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([check(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
