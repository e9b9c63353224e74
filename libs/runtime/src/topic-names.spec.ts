import { loadConfig } from './config';
import { topicNames } from './topic-names';

describe('topic names of a deployment', () => {
  it('given no settings, then every topic keeps its default name', () => {
    const names = topicNames(loadConfig({}));
    expect([names.physical('checkout.requested'), names.logical('order.events')]).toEqual([
      'checkout.requested',
      'order.events',
    ]);
  });

  it('given a prefix and an explicit name for the upstream topic, then the explicit name wins and the rest are prefixed, both ways', () => {
    const names = topicNames(
      loadConfig({ STOCKADE_TOPIC_PREFIX: 'prod.', STOCKADE_TOPIC_NAMES: 'checkout.requested=shop.checkouts' }),
    );
    expect(names.physical('checkout.requested')).toBe('shop.checkouts');
    expect(names.physical('inventory.commands')).toBe('prod.inventory.commands');
    expect(names.logical('shop.checkouts')).toBe('checkout.requested');
    expect(names.logical('prod.inventory.commands')).toBe('inventory.commands');
  });

  it("given a prefix, when a channel's checkout topic (not a fixed topic) is named, then it is prefixed and its physical name maps back", () => {
    const names = topicNames(loadConfig({ STOCKADE_TOPIC_PREFIX: 'prod.' }));
    expect(names.physical('checkout.requested.web')).toBe('prod.checkout.requested.web');
    expect(names.logical('prod.checkout.requested.web')).toBe('checkout.requested.web');
    expect(names.logical('other.topic')).toBe('other.topic');
  });

  it('given an unknown topic or a malformed pair, then start fails naming STOCKADE_TOPIC_NAMES', () => {
    expect(() => loadConfig({ STOCKADE_TOPIC_NAMES: 'checkouts=shop.checkouts' })).toThrow(
      /STOCKADE_TOPIC_NAMES "checkouts" is not a Stockade topic/,
    );
    expect(() => loadConfig({ STOCKADE_TOPIC_NAMES: 'order.events' })).toThrow(
      /STOCKADE_TOPIC_NAMES "order.events" must be logical=physical/,
    );
  });
});
