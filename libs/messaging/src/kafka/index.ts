// A separate entry point so that importing '@stockade/messaging' never loads kafkajs.
export { KafkaMessageBus } from './kafka-message-bus';
export { KafkaDeadLetterReader } from './kafka-dead-letter-reader';
export {
  KAFKA_DEFAULTS,
  type KafkaConsumerTimings,
  type KafkaMessageBusOptions,
  type KafkaTopicSettings,
} from './kafka-message-bus-options';
export { createTopicsAndWait, topicToCreate } from './topic-provisioner';
export { portErrorFromKafka } from './port-error-from-kafka';
export { kafkaLogCreator, type KafkaLog, type KafkaLogLevel } from './kafka-log';
