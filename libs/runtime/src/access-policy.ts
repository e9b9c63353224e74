import type { AccessPolicy, HttpServerOptions, LiveStockOptions } from '@stockade/api';
import type { StockadeConfig } from './config';
import { isLoopbackHost } from './exposure';
import { salesChannelsOf } from './sales-channels';

/** Who may do what over HTTP, from the configuration: the tokens, whether the process is reachable beyond loopback, and the rate limits. */
export function accessPolicyOf(config: StockadeConfig): AccessPolicy {
  const limited = config.STOCKADE_RATE_LIMIT_PER_SECOND > 0;
  return {
    operatorToken: config.STOCKADE_OPERATOR_TOKEN,
    ...(config.STOCKADE_API_TOKEN ? { apiToken: config.STOCKADE_API_TOKEN } : {}),
    ...(config.STOCKADE_UPSTREAM_TOKENS.size > 0 ? { channelTokens: config.STOCKADE_UPSTREAM_TOKENS } : {}),
    ...(config.STOCKADE_CHANNELS.length > 0 ? { salesChannels: salesChannelsOf(config) } : {}),
    ...(config.STOCKADE_METRICS_TOKEN ? { metricsToken: config.STOCKADE_METRICS_TOKEN } : {}),
    exposed: !isLoopbackHost(config.HOST),
    ...(limited
      ? {
          rateLimits: {
            token: { perSecond: config.STOCKADE_RATE_LIMIT_PER_SECOND, burst: config.STOCKADE_RATE_LIMIT_BURST },
            ...(config.STOCKADE_ANONYMOUS_RATE_LIMIT_PER_SECOND > 0
              ? {
                  anonymous: {
                    perSecond: config.STOCKADE_ANONYMOUS_RATE_LIMIT_PER_SECOND,
                    burst: config.STOCKADE_ANONYMOUS_RATE_LIMIT_BURST,
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}

/** How the HTTP server takes connections and bodies, from the configuration. */
export function httpServerOptionsOf(config: StockadeConfig, onConnectionRefused?: () => void): HttpServerOptions {
  return {
    bodyLimitBytes: config.STOCKADE_BODY_LIMIT_BYTES,
    batchBodyLimitBytes: config.STOCKADE_BATCH_BODY_LIMIT_BYTES,
    requestTimeoutMs: config.STOCKADE_REQUEST_TIMEOUT_MS,
    trustedProxies: config.STOCKADE_TRUSTED_PROXIES,
    maxConnectionsPerAddress: config.STOCKADE_MAX_CONNECTIONS_PER_ADDRESS,
    ...(onConnectionRefused ? { onConnectionRefused } : {}),
  };
}

/** The live-stream pool's limits: its size, each caller's share, the operators' reserve. */
export function liveStreamLimitsOf(
  config: StockadeConfig,
): Pick<LiveStockOptions, 'maxStreams' | 'maxStreamsPerCaller' | 'operatorReserve'> {
  return {
    maxStreams: config.STOCKADE_MAX_LIVE_STREAMS,
    maxStreamsPerCaller: config.STOCKADE_MAX_LIVE_STREAMS_PER_CALLER,
    operatorReserve: config.STOCKADE_OPERATOR_LIVE_STREAM_RESERVE,
  };
}
