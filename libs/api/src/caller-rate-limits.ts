import { Caller, callerKeyOf } from './access.guard';
import type { RateLimit } from './facades';
import { RateLimiter } from './rate-limiter';

/**
 * Rate limits per caller: a token's own bucket (by role or channel, never by the secret) at the
 * token rate, a caller without a token by its address at the (lower) anonymous rate. Operators
 * are not limited. A kind of caller without a limit is not limited.
 */
export class CallerRateLimits {
  private readonly tokens: RateLimiter | undefined;
  private readonly anonymous: RateLimiter | undefined;

  constructor(limits: { readonly token?: RateLimit; readonly anonymous?: RateLimit } = {}) {
    this.tokens = limits.token ? new RateLimiter(limits.token.perSecond, limits.token.burst) : undefined;
    this.anonymous = limits.anonymous ? new RateLimiter(limits.anonymous.perSecond, limits.anonymous.burst) : undefined;
  }

  /** Takes up to `wanted` requests from the caller's bucket: how many were granted, and when to retry the rest. */
  take(
    request: { stockadeCaller?: Caller; ip?: string },
    wanted = 1,
    nowMs = Date.now(),
  ): { granted: number; retryAfterS: number } {
    const role = request.stockadeCaller?.role ?? 'anonymous';
    const limiter = role === 'operator' ? undefined : role === 'anonymous' ? this.anonymous : this.tokens;
    if (!limiter) return { granted: wanted, retryAfterS: 0 };
    return limiter.takeUpTo(callerKeyOf(request), wanted, nowMs);
  }
}
