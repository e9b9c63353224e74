import { readFileSync } from 'node:fs';
import type { KafkaConfig } from 'kafkajs';
import type { StockadeConfig } from './config';

type KafkaConnectionConfig = Pick<
  StockadeConfig,
  | 'KAFKA_BROKERS'
  | 'KAFKA_CLIENT_ID'
  | 'KAFKA_SSL'
  | 'KAFKA_SSL_CA_FILE'
  | 'KAFKA_SASL_MECHANISM'
  | 'KAFKA_SASL_USERNAME'
  | 'KAFKA_SASL_PASSWORD'
>;

/**
 * How every Stockade client reaches the brokers (the services' bus, topic provisioning): one
 * place for brokers, client id, TLS and SASL, so no app connects differently from another.
 * A CA file means TLS with that CA trusted (a private CA); KAFKA_SSL=true alone trusts the system's CAs.
 */
export interface KafkaConnection {
  readonly brokers: string[];
  readonly clientId: string;
  readonly ssl: NonNullable<KafkaConfig['ssl']>;
  readonly sasl?: KafkaConfig['sasl'];
}

export function kafkaConnection(config: KafkaConnectionConfig, defaultClientId: string): KafkaConnection {
  return {
    brokers: (config.KAFKA_BROKERS as string).split(','),
    clientId: config.KAFKA_CLIENT_ID ?? defaultClientId,
    ssl: config.KAFKA_SSL_CA_FILE ? { ca: [readFileSync(config.KAFKA_SSL_CA_FILE, 'utf8')] } : config.KAFKA_SSL,
    ...(config.KAFKA_SASL_MECHANISM
      ? // kafkajs types SASL per mechanism; the config loader already required username and password.
        {
          sasl: {
            mechanism: config.KAFKA_SASL_MECHANISM,
            username: config.KAFKA_SASL_USERNAME,
            password: config.KAFKA_SASL_PASSWORD,
          } as KafkaConfig['sasl'],
        }
      : {}),
  };
}
