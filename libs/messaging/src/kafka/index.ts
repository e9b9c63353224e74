// A separate entry point so that importing '@stockade/messaging' never loads kafkajs.
export { KafkaMessageBus } from './kafka-message-bus';
export { KAFKA_DEFAULTS, type KafkaConsumerTimings, type KafkaMessageBusOptions } from './kafka-message-bus-options';
export { portErrorFromKafka } from './port-error-from-kafka';
