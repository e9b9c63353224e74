import { ConfigurationError, loadConfig } from './config';
import { checkShardedTopic, PartitionAssignments } from './partition-assignments';

const SETTING = { name: 'STOCKADE_INVENTORY_SHARDS', guide: 'docs/operations.md, "Scaling inventory"' };

describe('inventory shards at start (ADR 0020)', () => {
  it('given shards above 1 on the embedded defaults (SQLite log and store), then start fails naming both settings', () => {
    const refusal = (() => {
      try {
        loadConfig({ STOCKADE_INVENTORY_SHARDS: '3' });
      } catch (error) {
        return error as ConfigurationError;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(ConfigurationError);
    expect(refusal?.issues.map((issue) => issue.field)).toEqual(['STOCKADE_BUS', 'STOCKADE_EVENT_STORE']);
  });

  it('given shards on Kafka and PostgreSQL, then the configuration is accepted; without the setting it is 1', () => {
    const distributed = {
      STOCKADE_BUS: 'kafka',
      KAFKA_BROKERS: '127.0.0.1:9092',
      STOCKADE_EVENT_STORE: 'postgres',
      STOCKADE_POSTGRES_URL: 'postgres://127.0.0.1/test',
    };
    expect(loadConfig({ ...distributed, STOCKADE_INVENTORY_SHARDS: '3' }).STOCKADE_INVENTORY_SHARDS).toBe(3);
    expect(loadConfig(distributed).STOCKADE_INVENTORY_SHARDS).toBe(1);
  });

  it('given inventory.commands with 8 partitions and 3 shards, then the check fails naming both numbers; with 3 it passes', async () => {
    await expect(checkShardedTopic(async () => 8, 'inventory.commands', 3, 8, SETTING)).rejects.toThrow(
      /STOCKADE_INVENTORY_SHARDS is 3, but inventory.commands has 8 partitions/,
    );
    await expect(checkShardedTopic(async () => 3, 'inventory.commands', 3, 8, SETTING)).resolves.toBeUndefined();
  });

  it('given inventory.commands not created yet, then the check compares with the partitions it will be created with', async () => {
    await expect(checkShardedTopic(async () => undefined, 'inventory.commands', 3, 8, SETTING)).rejects.toThrow(
      /does not exist yet and would be created with KAFKA_TOPIC_PARTITIONS=8/,
    );
    await expect(
      checkShardedTopic(async () => undefined, 'inventory.commands', 3, 3, SETTING),
    ).resolves.toBeUndefined();
    await expect(checkShardedTopic(undefined, 'inventory.commands', 1, 8, SETTING)).resolves.toBeUndefined();
  });

  it('given listeners of two groups, when one group is told its assignment, then only its listeners hear the partitions of all its topics, sorted and once each', () => {
    const assignments = new PartitionAssignments();
    const heard: Array<[string, readonly number[]]> = [];
    assignments.on('inventory-service', (partitions) => heard.push(['inventory', partitions]));
    assignments.on('order-service', (partitions) => heard.push(['orders', partitions]));

    assignments.tell('inventory-service', [
      { topic: 'inventory.commands', partitions: [3, 1] },
      { topic: 'other', partitions: [1] },
    ]);

    expect(heard).toEqual([['inventory', [1, 3]]]);
  });
});
