import { timingSafeEqual } from 'node:crypto';
import type { Caller } from './access.guard';
import type { AccessPolicy } from './facades';

/**
 * Which token a request presents: the operator's, the API token, an upstream channel's, the
 * metrics token, or none (anonymous; a wrong token is no token). Every token is compared in
 * constant time, all of them every time, so timing says nothing about which one nearly matched.
 */
export class Authenticator {
  private readonly candidates: readonly { readonly secret: Buffer; readonly caller: Caller }[];

  constructor(policy: AccessPolicy) {
    // In order of precedence; configuration refuses a token shared by two roles anyway.
    this.candidates = [
      { secret: Buffer.from(policy.operatorToken), caller: { role: 'operator' } },
      ...(policy.apiToken === undefined
        ? []
        : [{ secret: Buffer.from(policy.apiToken), caller: { role: 'api' } as const }]),
      ...[...(policy.channelTokens ?? [])].map(([token, channel]) => ({
        secret: Buffer.from(token),
        caller: { role: 'channel', channel } as const,
      })),
      ...(policy.metricsToken === undefined
        ? []
        : [{ secret: Buffer.from(policy.metricsToken), caller: { role: 'metrics' } as const }]),
    ];
  }

  callerOf(authorization: string | undefined): Caller {
    const presented = bearerToken(authorization);
    if (presented === undefined) return ANONYMOUS;
    const secret = Buffer.from(presented);
    let caller: Caller = ANONYMOUS;
    for (const candidate of this.candidates)
      if (sameSecret(secret, candidate.secret) && caller === ANONYMOUS) caller = candidate.caller;
    return caller;
  }
}

const ANONYMOUS: Caller = { role: 'anonymous' };

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** Constant-time comparison, so response timing does not leak how much of a token matched. */
function sameSecret(presented: Buffer, expected: Buffer): boolean {
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
