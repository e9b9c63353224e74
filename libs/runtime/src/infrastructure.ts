import { join, resolve } from 'node:path';
import { EventStore, GroupCommitEventStore } from '@stockade/event-store';
import { SqliteEventStore } from '@stockade/event-store/sqlite';
import { Clock } from '@stockade/kernel';
import { TOPICS } from '@stockade/contracts';
import { MessageBus, TopicNamingMessageBus } from '@stockade/messaging';
import { SqliteMessageBus } from '@stockade/messaging/sqlite';
import type { StockadeConfig } from './config';
import { kafkaConnection } from './kafka-connection';
import type { Logger } from './logger';
import { kafkaTopicSettings } from './kafka-topic-settings';
import { topicNames } from './topic-names';

/** Where a context's events are kept: its file in the data directory (SQLite), its schema (PostgreSQL). The context names them. */
export interface StoreLocation {
  readonly file: string;
  readonly schema: string;
}

/**
 * Opens the event store the configuration names for one service. Server adapters are imported on
 * demand, so the embedded runner never loads pg or the KurrentDB client (a test checks), and a
 * PostgreSQL deployment never needs a data directory.
 */
export async function openEventStore(config: StockadeConfig, store: StoreLocation, clock: Clock): Promise<EventStore> {
  switch (config.STOCKADE_EVENT_STORE) {
    case 'sqlite':
      return SqliteEventStore.open(join(resolve(config.STOCKADE_DATA_DIR), store.file), {
        clock,
        synchronous: config.STOCKADE_SQLITE_SYNCHRONOUS,
      });
    // A server store pays per transaction (commit flush, ordering lock, round trip): concurrent
    // appends from many orders share one (SQLite does the same inside its adapter).
    case 'postgres': {
      const { PostgresEventStore } = await import('@stockade/event-store/postgres');
      return new GroupCommitEventStore(
        await PostgresEventStore.open({
          connectionString: config.STOCKADE_POSTGRES_URL as string,
          schema: config.STOCKADE_POSTGRES_SCHEMA ?? store.schema,
          clock,
        }),
      );
    }
    case 'kurrentdb': {
      const { KurrentEventStore } = await import('@stockade/event-store/kurrentdb');
      return new GroupCommitEventStore(
        await KurrentEventStore.open({ connectionString: config.KURRENTDB_URL as string, clock }),
      );
    }
  }
}

/** kafkajs' lines into the service's log, as one JSON line each with the service's name. */
function kafkaLogTo(logger: Logger) {
  return (level: 'error' | 'warn' | 'info' | 'debug', message: string, fields: Record<string, unknown>) =>
    logger[level]({ ...fields, component: 'kafkajs' }, message);
}

/** The deployment's consumer-group prefix: STOCKADE_GROUP_PREFIX, else the topic prefix (a deployment's namespace on a shared cluster). */
export function consumerGroupPrefix(
  config: Pick<StockadeConfig, 'STOCKADE_TOPIC_PREFIX' | 'STOCKADE_GROUP_PREFIX'>,
): string {
  return config.STOCKADE_GROUP_PREFIX ?? config.STOCKADE_TOPIC_PREFIX;
}

/** Opens the message bus the configuration names, with the deployment's topic prefix applied. */
export async function openMessageBus(
  config: StockadeConfig,
  clientName: string,
  clock: Clock,
  logger: Logger,
): Promise<MessageBus> {
  const onConsumerError = (error: unknown) => logger.warn({ err: error }, 'consumer fetch failed; retrying');
  let bus: MessageBus;
  if (config.STOCKADE_BUS === 'kafka') {
    const { KafkaMessageBus } = await import('@stockade/messaging/kafka');
    const { brokers, clientId, ssl, sasl } = kafkaConnection(config, `stockade-${clientName}`);
    bus = await KafkaMessageBus.connect({
      brokers,
      clientId,
      ssl,
      ...(sasl ? { sasl } : {}),
      partitions: config.KAFKA_TOPIC_PARTITIONS,
      topicSettings: kafkaTopicSettings(config),
      clock,
      onConsumerError,
      consumer: {
        sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
        heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL_MS,
      },
      log: kafkaLogTo(logger),
    });
  } else {
    bus = SqliteMessageBus.open(config.STOCKADE_BUS_FILE ?? join(resolve(config.STOCKADE_DATA_DIR), 'messages.db'), {
      clock,
      onConsumerError,
      synchronous: config.STOCKADE_SQLITE_SYNCHRONOUS,
      retention: { compactTopics: [topicNames(config).physical(TOPICS.stockLevels)] },
    });
  }
  const names = topicNames(config);
  const groupPrefix = consumerGroupPrefix(config);
  const renamesNothing =
    config.STOCKADE_TOPIC_PREFIX === '' && Object.keys(config.STOCKADE_TOPIC_NAMES).length === 0 && groupPrefix === '';
  return renamesNothing ? bus : new TopicNamingMessageBus(bus, names.physical, (groupId) => `${groupPrefix}${groupId}`);
}
