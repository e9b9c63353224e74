import { ConfigurationError, loadConfig, supplierSimulatorOn } from './config';
import { channelCheckoutTopicsOf, channelOutcomeTopicsOf, salesChannelsOf } from './sales-channels';

describe('configuration from the environment', () => {
  it('given no variables, then the embedded defaults apply and an operator token is generated', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      STOCKADE_DATA_DIR: './data',
      STOCKADE_RESERVATION_TTL_MS: 900_000,
      STOCKADE_LIMITED_THRESHOLD: 5,
      operatorTokenGenerated: true,
    });
    expect(config.STOCKADE_OPERATOR_TOKEN.length).toBeGreaterThanOrEqual(16);
  });

  it('given a port that is not a number, then start fails naming PORT', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigurationError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('given a short operator token, then start fails naming STOCKADE_OPERATOR_TOKEN', () => {
    expect(() => loadConfig({ STOCKADE_OPERATOR_TOKEN: 'short' })).toThrow(
      /STOCKADE_OPERATOR_TOKEN must be at least 16 characters/,
    );
  });

  it('given an explicit operator token and TTL, then they are used as given', () => {
    const config = loadConfig({
      STOCKADE_OPERATOR_TOKEN: 'a-long-operator-token',
      STOCKADE_RESERVATION_TTL_MS: '60000',
    });
    expect(config).toMatchObject({
      STOCKADE_OPERATOR_TOKEN: 'a-long-operator-token',
      operatorTokenGenerated: false,
      STOCKADE_RESERVATION_TTL_MS: 60_000,
    });
  });

  it('given the inventory cache and snapshot settings, then they are read, 0 turns snapshots off, and a negative interval is refused', () => {
    expect(loadConfig({})).toMatchObject({ STOCKADE_MAX_CACHED_STREAMS: 100_000, STOCKADE_SNAPSHOT_INTERVAL: 100 });
    expect(loadConfig({ STOCKADE_MAX_CACHED_STREAMS: '1200000', STOCKADE_SNAPSHOT_INTERVAL: '0' })).toMatchObject({
      STOCKADE_MAX_CACHED_STREAMS: 1_200_000,
      STOCKADE_SNAPSHOT_INTERVAL: 0,
    });
    expect(() => loadConfig({ STOCKADE_SNAPSHOT_INTERVAL: '-1' })).toThrow(/STOCKADE_SNAPSHOT_INTERVAL/);
  });

  it('given STOCKADE_BUS=kafka without brokers, then start fails naming KAFKA_BROKERS', () => {
    expect(() => loadConfig({ STOCKADE_BUS: 'kafka' })).toThrow(/KAFKA_BROKERS is required when STOCKADE_BUS=kafka/);
  });

  it('given the postgres store without a URL, or a malformed broker list, then each is named', () => {
    expect(() => loadConfig({ STOCKADE_EVENT_STORE: 'postgres' })).toThrow(/STOCKADE_POSTGRES_URL is required/);
    expect(() => loadConfig({ STOCKADE_BUS: 'kafka', KAFKA_BROKERS: 'localhost' })).toThrow(
      /KAFKA_BROKERS must be host:port/,
    );
    expect(() => loadConfig({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' })).toThrow(
      /KAFKA_SASL_PASSWORD is required/,
    );
  });

  it('given a complete distributed configuration, then it loads', () => {
    const config = loadConfig({
      STOCKADE_EVENT_STORE: 'postgres',
      STOCKADE_POSTGRES_URL: 'postgres://postgres@db:5432/stockade',
      STOCKADE_BUS: 'kafka',
      KAFKA_BROKERS: 'kafka:9092',
      REDIS_URL: 'redis://redis:6379',
    });
    expect(config).toMatchObject({
      STOCKADE_EVENT_STORE: 'postgres',
      STOCKADE_BUS: 'kafka',
      KAFKA_BROKERS: 'kafka:9092',
      KAFKA_TOPIC_PARTITIONS: 8,
    });
  });

  it('given STOCKADE_SUPPLIER_SIMULATOR unset, then the simulated supplier runs in the embedded runner (the demo) but not in inventory-service run alone; set, it is obeyed by both', () => {
    const unset = loadConfig({});
    expect([supplierSimulatorOn(unset, 'embedded'), supplierSimulatorOn(unset, 'inventory-service')]).toEqual([
      true,
      false,
    ]);
    const on = loadConfig({ STOCKADE_SUPPLIER_SIMULATOR: 'true' });
    const off = loadConfig({ STOCKADE_SUPPLIER_SIMULATOR: 'false' });
    expect([supplierSimulatorOn(on, 'inventory-service'), supplierSimulatorOn(off, 'embedded')]).toEqual([true, false]);
  });

  it('given channels with upstream tokens and channels on Kafka only, then every channel has one checkout topic and one outcomes topic; a malformed channel name is refused naming STOCKADE_CHANNELS', () => {
    const config = loadConfig({
      STOCKADE_UPSTREAM_TOKENS: 'web=web-token-0123456789abcdef,pos=pos-token-0123456789abcdef',
      STOCKADE_CHANNELS: ' market , pos',
    });

    expect(salesChannelsOf(config)).toEqual(['market', 'pos', 'web']);
    expect(channelCheckoutTopicsOf(config)).toEqual([
      'checkout.requested.market',
      'checkout.requested.pos',
      'checkout.requested.web',
    ]);
    expect(channelOutcomeTopicsOf(config)).toEqual(['order.events.market', 'order.events.pos', 'order.events.web']);
    expect(channelOutcomeTopicsOf(loadConfig({}))).toEqual([]);
    expect(salesChannelsOf(loadConfig({}))).toEqual([]);
    expect(() => loadConfig({ STOCKADE_CHANNELS: 'web,Shop!' })).toThrow(
      /STOCKADE_CHANNELS each channel is a lower-case name/,
    );
    // order.events.dlq is the dead-letter topic of order.events, not a channel's outcomes.
    expect(() => loadConfig({ STOCKADE_CHANNELS: 'web,dlq' })).toThrow(/STOCKADE_CHANNELS names a channel dlq/);
    expect(() => loadConfig({ STOCKADE_UPSTREAM_TOKENS: 'dlq=dlq-token-0123456789abcdef' })).toThrow(
      /STOCKADE_UPSTREAM_TOKENS names a channel dlq/,
    );
  });
});
