import type { AccessPolicy } from '@stockade/api';
import type { StockadeConfig } from './config';

/** Who may do what over HTTP, from the configuration: the operator token, the API token, the upstream channels' tokens and the rate limit. */
export function accessPolicyOf(config: StockadeConfig): AccessPolicy {
  return {
    operatorToken: config.STOCKADE_OPERATOR_TOKEN,
    ...(config.STOCKADE_API_TOKEN ? { apiToken: config.STOCKADE_API_TOKEN } : {}),
    ...(config.STOCKADE_UPSTREAM_TOKENS.size > 0 ? { channelTokens: config.STOCKADE_UPSTREAM_TOKENS } : {}),
    ...(config.STOCKADE_RATE_LIMIT_PER_SECOND > 0 ? { rateLimit: { perSecond: config.STOCKADE_RATE_LIMIT_PER_SECOND, burst: config.STOCKADE_RATE_LIMIT_BURST } } : {}),
  };
}
