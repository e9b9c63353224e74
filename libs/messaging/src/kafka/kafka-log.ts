import { logLevel, LogEntry } from 'kafkajs';

const KAFKAJS_LEVEL_NAMES: Readonly<Record<number, string>> = {
  [logLevel.ERROR]: 'ERROR',
  [logLevel.WARN]: 'WARN',
  [logLevel.INFO]: 'INFO',
  [logLevel.DEBUG]: 'DEBUG',
};

export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Where kafkajs' own log lines go (the service's logger), at the level Stockade gives them. */
export type KafkaLog = (level: KafkaLogLevel, message: string, fields: Record<string, unknown>) => void;

/**
 * kafkajs logs every error response of a request at ERROR (`[Connection] Response CreateTopics …
 * Topic creation errors` for topics that exist, `InitProducerId … coordinator is loading` while a
 * broker starts), then retries it or hands it to the caller. Those are not the operator's errors:
 * an alert on ERROR would fire on every clean start. So kafkajs' ERROR lines are logged as warn
 * (with `kafkajsLevel` saying what kafkajs called them); Stockade logs at error what it gives up on.
 */
export function kafkaLogCreator(log: KafkaLog) {
  return () =>
    ({ namespace, level, log: entry }: LogEntry): void => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry;
      const kafkajsLevel = KAFKAJS_LEVEL_NAMES[level] ?? String(level);
      const mapped: KafkaLogLevel =
        level === logLevel.ERROR || level === logLevel.WARN ? 'warn' : level === logLevel.INFO ? 'info' : 'debug';
      log(mapped, `[${namespace}] ${message}`, { ...fields, kafkajsLevel });
    };
}
