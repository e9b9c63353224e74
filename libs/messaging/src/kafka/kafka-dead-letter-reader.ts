import { randomUUID } from 'node:crypto';
import { isDeadLetterTopic } from '@stockade/contracts';
import type { Admin, Kafka } from 'kafkajs';
import type { DeadLetterMessage, DeadLetterSource } from '../dead-letter-source';
import { headersFrom, originalBytesOf } from './kafka-records';

/** How long reading one dead-letter topic may take before it gives up (group join included). */
const READ_TIMEOUT_MS = 60_000;

/**
 * Dead letters read straight from the broker without consuming them: a throwaway consumer group
 * reads each `*.dlq` topic from its start up to the end offsets taken before reading, commits
 * nothing, and is deleted afterwards, so no group is left behind and the services' groups never
 * move. Values keep their exact bytes (`valueBytes`). Topic names are the broker's.
 */
export class KafkaDeadLetterReader implements DeadLetterSource {
  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
  ) {}

  async deadLetterTopics(): Promise<string[]> {
    return (await this.admin.listTopics()).filter(isDeadLetterTopic).sort();
  }

  async readDeadLetters(topic: string): Promise<DeadLetterMessage[]> {
    if (!(await this.admin.listTopics()).includes(topic)) return [];
    const ends = new Map(
      (await this.admin.fetchTopicOffsets(topic))
        .filter((end) => Number(end.high) > Number(end.low))
        .map((end) => [end.partition, Number(end.high)]),
    );
    if (ends.size === 0) return [];
    const groupId = `stockade-dlq-browse-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false });
    const letters: DeadLetterMessage[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`reading ${topic} took longer than ${READ_TIMEOUT_MS} ms`)),
          READ_TIMEOUT_MS,
        );
        const remaining = new Map(ends);
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const end = remaining.get(partition);
              if (end === undefined || Number(message.offset) >= end) return;
              const valueBytes = message.value ?? Buffer.alloc(0);
              letters.push({
                topic,
                partition,
                offset: message.offset,
                key: message.key?.toString('utf8') ?? '',
                value: valueBytes.toString('utf8'),
                valueBytes,
                headers: headersFrom(message.headers),
                original: originalBytesOf(message),
                attempt: 1,
              });
              if (Number(message.offset) + 1 >= end) remaining.delete(partition);
              if (remaining.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch((error: unknown) => {
            clearTimeout(timer);
            reject(error);
          });
      });
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await this.admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return letters.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
  }
}
