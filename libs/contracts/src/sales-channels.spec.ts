import { channelNamespace, channelOfId, EVERY_NAMESPACE, sharedNamespace } from './sales-channels';

describe('sales channel namespaces', () => {
  const channels = new Set(['web', 'pos']);

  it('given the web channel, when it names an id, then the id is stored under web: (and a leading web: is not doubled)', () => {
    const web = channelNamespace('web');
    expect(web.qualify('chk-1')).toBe('web:chk-1');
    expect(web.qualify('web:chk-1')).toBe('web:chk-1');
  });

  it("given the web channel, when it names pos's id, then it reaches its own namespace, never pos's", () => {
    const web = channelNamespace('web');
    expect(web.qualify('pos:chk-2')).toBe('web:pos:chk-2');
    expect(web.owns('pos:chk-2')).toBe(false);
    expect(web.owns('web:pos:chk-2')).toBe(true);
  });

  it('given the shared namespace, when an id carries a configured channel prefix, then it is not the caller’s', () => {
    const shared = sharedNamespace(channels);
    expect(shared.qualify('chk-3')).toBe('chk-3');
    expect(shared.owns('chk-3')).toBe(true);
    expect(shared.owns('pos:chk-3')).toBe(false);
    expect(shared.owns('store:chk-3')).toBe(true);
  });

  it('given an operator, then every id is theirs as stored', () => {
    expect(EVERY_NAMESPACE.qualify('pos:chk-4')).toBe('pos:chk-4');
    expect(EVERY_NAMESPACE.owns('pos:chk-4')).toBe(true);
  });

  it('given ids with and without a channel prefix, then channelOfId names only configured channels', () => {
    expect(channelOfId('web:alice', channels)).toBe('web');
    expect(channelOfId('alice', channels)).toBeUndefined();
    expect(channelOfId(':alice', channels)).toBeUndefined();
    expect(channelOfId('shop:alice', channels)).toBeUndefined();
  });
});
