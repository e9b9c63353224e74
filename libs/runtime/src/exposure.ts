import { isIP } from 'node:net';
import type { FieldIssue } from '@stockade/kernel';
import { ConfigurationError, StockadeConfig } from './config';

/** Words that mark a token copied from an example rather than generated. */
const PLACEHOLDER =
  /change-?me|change_me|example|secret|passw(or|0)d|placeholder|sample|dummy|replace-?me|your-?token|default|letmein|qwerty|xxxx|1234567/i;
const MIN_LENGTH = 24;
const MIN_DISTINCT = 10;

/** HOST names a loopback interface: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** Why a token is too weak to guard a port others can reach, if it is. */
export function tokenWeakness(token: string): string | undefined {
  if (PLACEHOLDER.test(token)) return 'looks like a placeholder (a word like change-me, example, secret or password)';
  if (token.length < MIN_LENGTH) return `is shorter than ${MIN_LENGTH} characters`;
  if (new Set(token).size < MIN_DISTINCT) return `has fewer than ${MIN_DISTINCT} distinct characters`;
  return undefined;
}

/** What listening with this configuration would risk: refusals stop the start, warnings are logged. */
export function exposureFindings(config: StockadeConfig): {
  readonly refusals: readonly FieldIssue[];
  readonly warnings: readonly string[];
} {
  const exposed = !isLoopbackHost(config.HOST);
  const refusals: FieldIssue[] = [];
  const warnings: string[] = [];
  const weak = [
    ...(config.operatorTokenGenerated ? [] : [['STOCKADE_OPERATOR_TOKEN', config.STOCKADE_OPERATOR_TOKEN] as const]),
    ...(config.STOCKADE_API_TOKEN ? [['STOCKADE_API_TOKEN', config.STOCKADE_API_TOKEN] as const] : []),
    ...(config.STOCKADE_METRICS_TOKEN ? [['STOCKADE_METRICS_TOKEN', config.STOCKADE_METRICS_TOKEN] as const] : []),
    ...[...config.STOCKADE_UPSTREAM_TOKENS].map(
      ([token, channel]) => [`STOCKADE_UPSTREAM_TOKENS (${channel})`, token] as const,
    ),
  ].flatMap(([field, token]) => {
    const weakness = tokenWeakness(token);
    return weakness ? [{ field, message: `${weakness}: generate one with openssl rand -base64 24` }] : [];
  });
  if (exposed)
    refusals.push(
      ...weak.map((issue) => ({ ...issue, message: `${issue.message} (HOST=${config.HOST} listens beyond loopback)` })),
    );
  else
    warnings.push(
      ...weak.map((issue) => `${issue.field} ${issue.message}; it would be refused on a HOST beyond loopback`),
    );

  const open = !config.STOCKADE_API_TOKEN && config.STOCKADE_UPSTREAM_TOKENS.size === 0;
  if (exposed && open) {
    const risk = `is ${config.HOST}, beyond loopback, and with neither STOCKADE_API_TOKEN nor STOCKADE_UPSTREAM_TOKENS set anyone who reaches the port may place, read and cancel any order`;
    if (config.STOCKADE_ALLOW_OPEN_ACCESS)
      warnings.push(`HOST ${risk}: served open because STOCKADE_ALLOW_OPEN_ACCESS=true`);
    else
      refusals.push({
        field: 'HOST',
        message: `${risk}. Set STOCKADE_API_TOKEN or STOCKADE_UPSTREAM_TOKENS (openssl rand -base64 24), listen on 127.0.0.1, or set STOCKADE_ALLOW_OPEN_ACCESS=true to serve them open on purpose`,
      });
  }
  return { refusals, warnings };
}

/**
 * Closed by default: a process refuses to listen beyond loopback open to anyone, or guarded by a
 * token that looks copied from an example or too short to resist guessing; on loopback those are
 * warnings. Called by every app right before it starts serving.
 */
export function assertSafeToListen(config: StockadeConfig, warn: (message: string) => void): void {
  const { refusals, warnings } = exposureFindings(config);
  if (refusals.length > 0) throw new ConfigurationError([...refusals]);
  for (const warning of warnings) warn(warning);
}
