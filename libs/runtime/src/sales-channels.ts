import { channelCheckoutTopic, channelOutcomeTopic } from '@stockade/contracts';
import type { StockadeConfig } from './config';

type ChannelSettings = Pick<StockadeConfig, 'STOCKADE_UPSTREAM_TOKENS' | 'STOCKADE_CHANNELS'>;

/**
 * Every configured sales channel, sorted: those with an HTTP token (STOCKADE_UPSTREAM_TOKENS) and
 * those that publish on Kafka only (STOCKADE_CHANNELS). Each has its own checkout topic
 * (ADR 0023); none configured, `checkout.requested` is the only way in, as before channels.
 */
export function salesChannelsOf(config: ChannelSettings): readonly string[] {
  return [...new Set([...config.STOCKADE_UPSTREAM_TOKENS.values(), ...config.STOCKADE_CHANNELS])].sort();
}

/** The logical names of the channels' checkout topics (`checkout.requested.<channel>`). */
export function channelCheckoutTopicsOf(config: ChannelSettings): readonly string[] {
  return salesChannelsOf(config).map(channelCheckoutTopic);
}

/** The logical names of the channels' outcome topics (`order.events.<channel>`), which only each channel reads. */
export function channelOutcomeTopicsOf(config: ChannelSettings): readonly string[] {
  return salesChannelsOf(config).map(channelOutcomeTopic);
}
