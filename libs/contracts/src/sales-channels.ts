/**
 * Sales channels (ADR 0021). An upstream token belongs to one channel (`web`, `pos`…), and
 * everything a channel names lives in its own namespace: its customers are `<channel>:…`, and the
 * ids it picks for orders and carts are stored as `<channel>:<id>`. One channel's ids can then
 * never block, reveal or reach another's, whatever it sends. A caller without a channel (the API
 * token, an open deployment on loopback) works in the shared namespace, where no configured
 * channel's prefix may appear. Operators see every namespace.
 *
 * Pure functions over ids: HTTP routes and the Kafka ingress use the same rules.
 */
export const CHANNEL_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export interface IdNamespace {
  /** Who this is, for messages: `channel web`, `the shared namespace`, `every namespace`. */
  readonly label: string;
  /** The stored id of what this caller calls `id` (an order's checkout id, a cart id). */
  qualify(id: string): string;
  /** Whether a stored id (order, cart) or a customer id is this caller's to see and change. */
  owns(storedId: string): boolean;
}

/** A channel's namespace: `web` calls `chk-1` what is stored as `web:chk-1` (a leading `web:` is accepted too). */
export function channelNamespace(channel: string): IdNamespace {
  const prefix = `${channel}:`;
  return {
    label: `channel ${channel}`,
    qualify: (id) => (id.startsWith(prefix) ? id : `${prefix}${id}`),
    owns: (storedId) => storedId.startsWith(prefix),
  };
}

/** The namespace of callers without a channel: ids as given, except those of a configured channel. */
export function sharedNamespace(channels: ReadonlySet<string>): IdNamespace {
  return {
    label: 'the shared namespace',
    qualify: (id) => id,
    owns: (storedId) => channelOfId(storedId, channels) === undefined,
  };
}

/** Operators: every id as it is stored. */
export const EVERY_NAMESPACE: IdNamespace = { label: 'every namespace', qualify: (id) => id, owns: () => true };

/** The configured channel whose namespace a stored id (or customer id) is in, if any. */
export function channelOfId(storedId: string, channels: ReadonlySet<string>): string | undefined {
  const colon = storedId.indexOf(':');
  if (colon <= 0) return undefined;
  const candidate = storedId.slice(0, colon);
  return channels.has(candidate) ? candidate : undefined;
}
