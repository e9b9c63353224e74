import { buildAsyncApiDocument } from './asyncapi';

interface Channel {
  readonly address: string;
  readonly description: string;
  readonly messages: Record<string, unknown>;
  readonly parameters?: Record<string, unknown>;
}

const channels = () => Object.values(buildAsyncApiDocument('test')['channels'] as Record<string, Channel>);

describe('the AsyncAPI document', () => {
  it("given sales channels, then each channel's outcomes topic order.events.{channel} is documented with the three outcomes, the channel parameter and its reader", () => {
    const outcomes = channels().find((channel) => channel.address === 'order.events.{channel}');

    expect(Object.keys(outcomes?.messages ?? {})).toEqual(['OrderCompleted_v1', 'OrderRejected_v1', 'OrderCancelled_v1']);
    expect(Object.keys(outcomes?.parameters ?? {})).toEqual(['channel']);
    expect(outcomes?.description).toMatch(/only that channel's principal may read/);
    expect(channels().find((channel) => channel.address === 'order.events')?.description).toMatch(/each channel reads its own order\.events\.\{channel\}/);
  });
});
