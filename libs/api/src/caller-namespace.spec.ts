import { CallerNamespace } from './caller-namespace';
import type { AccessPolicy } from './facades';

const policy = (extra: Partial<AccessPolicy> = {}): AccessPolicy => ({
  operatorToken: 'operator-token-for-namespace-tests',
  ...extra,
});
const shared = { stockadeCaller: { role: 'api' } as const };

describe('the namespace of a caller without a channel', () => {
  it('given a channel that publishes on Kafka only, when the API token names an id under its prefix, then creating it is forbidden and reading it finds nothing', () => {
    const namespace = CallerNamespace.of(shared, policy({ salesChannels: ['market'] }));
    expect(() => namespace.idToCreate('market:chk-1', 'checkoutId')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => namespace.customerToCreate('market:ann')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(namespace.idToReach('market:chk-1', 'orderId')).toBeUndefined();
  });

  it('given channels with HTTP tokens and Kafka-only ones, when the API token names plain ids, then they are its own', () => {
    const namespace = CallerNamespace.of(
      shared,
      policy({ channelTokens: new Map([['web-token-for-namespace-tests', 'web']]), salesChannels: ['market', 'web'] }),
    );
    expect(namespace.idToCreate('chk-1', 'checkoutId')).toBe('chk-1');
    expect(() => namespace.idToCreate('web:chk-1', 'checkoutId')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });
});
