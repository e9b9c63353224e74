import { ConfigurationError, loadConfig, provisionKafkaTopics } from '@stockade/runtime';

/** One-shot: creates the Kafka topics (and their .dlq) with KAFKA_TOPIC_PARTITIONS partitions, then exits. */
async function main(): Promise<void> {
  const created = await provisionKafkaTopics(loadConfig());
  console.log(created.length > 0 ? `created topics: ${created.join(', ')}` : 'all topics already exist');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
});
