import type { Admin, ITopicConfig } from 'kafkajs';
import type { KafkaTopicSettings } from './kafka-message-bus-options';

/** The createTopics entry for one topic: the shared partition count plus its own settings. */
export function topicToCreate(topic: string, partitions: number, settings: KafkaTopicSettings = {}): ITopicConfig {
  return {
    topic,
    numPartitions: partitions,
    ...(settings.replicationFactor === undefined ? {} : { replicationFactor: settings.replicationFactor }),
    ...(settings.configEntries?.length
      ? { configEntries: settings.configEntries.map(({ name, value }) => ({ name, value })) }
      : {}),
  };
}

/**
 * Errors a broker answers while a topic it just created has not settled: its metadata lags
 * (UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE), or its new leader is still taking over
 * (NOT_LEADER_FOR_PARTITION, from ListOffsets right after creation on a fresh KRaft broker).
 */
const LEADERSHIP_LAG = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION']);

/**
 * Runs a request against a topic that may have been created a moment ago, retrying with backoff
 * while the broker answers with one of those errors; the last one is thrown after `timeoutMs`.
 */
export async function whileLeadershipSettles<T>(request: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delayMs = 25; ; delayMs = Math.min(delayMs * 2, 500)) {
    try {
      return await request();
    } catch (error) {
      if (!LEADERSHIP_LAG.has((error as { type?: string }).type ?? '') || Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

/**
 * Creates the topics and waits until every partition has a leader. kafkajs' own `waitForLeaders`
 * retries only LEADER_NOT_AVAILABLE, but a KRaft broker briefly answers UNKNOWN_TOPIC_OR_PARTITION
 * for a topic it has just created: the creation then failed although the topic exists (seen on a
 * fresh Kafka 4.4 broker, about one run in three). Existing topics are fine.
 */
export async function createTopicsAndWait(
  admin: Admin,
  topics: readonly ITopicConfig[],
  timeoutMs = 10_000,
): Promise<void> {
  if (topics.length === 0) return;
  await admin.createTopics({ topics: [...topics], waitForLeaders: false });
  const names = topics.map((topic) => topic.topic);
  await whileLeadershipSettles(async () => {
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics: names });
    if (
      !metadata.every(
        (topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0),
      )
    ) {
      throw Object.assign(
        new Error(`topics ${names.join(', ')} were created but have no partition leaders after ${timeoutMs} ms`),
        { type: 'LEADER_NOT_AVAILABLE' },
      );
    }
  }, timeoutMs);
}

/**
 * Creates topics before first use with the bus's partition count (and each topic's settings): left to the broker's
 * auto-creation they would get its `num.partitions` (often 1), and keys would hash onto a
 * different number of partitions than everywhere else. Each name is created once per bus;
 * a topic that already exists is fine.
 */
export class TopicProvisioner {
  private readonly known = new Map<string, Promise<void>>();

  constructor(
    private readonly admin: Admin,
    private readonly partitions: number,
    private readonly enabled: boolean,
    private readonly settingsFor: (topic: string) => KafkaTopicSettings = () => ({}),
  ) {}

  async ensureTopics(names: readonly string[]): Promise<void> {
    if (!this.enabled) return;
    const missing = [...new Set(names)].filter((name) => !this.known.has(name));
    if (missing.length > 0) {
      // Only what does not exist yet: asking to create an existing topic is answered with an error
      // (TOPIC_ALREADY_EXISTS), which kafkajs logs as one on every start.
      const creating = this.admin.listTopics().then((existing) => {
        const existingTopics = new Set(existing);
        return createTopicsAndWait(
          this.admin,
          missing
            .filter((topic) => !existingTopics.has(topic))
            .map((topic) => topicToCreate(topic, this.partitions, this.settingsFor(topic))),
        );
      });
      missing.forEach((name) => this.known.set(name, creating));
      // A failed creation is retried by the next caller rather than remembered.
      creating.catch(() => missing.forEach((name) => this.known.delete(name)));
    }
    await Promise.all(names.map((name) => this.known.get(name)));
  }
}
