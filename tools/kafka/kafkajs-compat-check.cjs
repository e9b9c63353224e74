// kafkajs 2.2.4 vs the broker started by tools/kafka/kafka.sh: exercises every request kind
// Stockade's Kafka adapter is likely to send, to re-check the KIP-896 finding (README.md) when
// the broker version in pom.xml changes. Not part of the Jest run: kafkajs is not a project
// dependency yet, so run it from a scratch dir:
//   mkdir -p /tmp/kafkacheck && cd /tmp/kafkacheck && npm install --no-save kafkajs@2.2.4
//   cp /work/main/tools/kafka/kafkajs-compat-check.cjs . && node kafkajs-compat-check.cjs
// KAFKA_PORT picks the broker; DEBUG_KAFKAJS=1 logs every request with its negotiated version
// (kafkajs' debug logger then trips over a BigInt in DeleteRecords: that step failing under
// DEBUG_KAFKAJS only is a kafkajs logging bug, not the broker).
const { Kafka, logLevel } = require('kafkajs');
const crypto = require('crypto');
const broker = `127.0.0.1:${process.env.KAFKA_PORT || 9092}`;
const kafka = new Kafka({
  clientId: 'kafkacheck',
  brokers: [broker],
  logLevel: process.env.DEBUG_KAFKAJS ? logLevel.DEBUG : logLevel.WARN,
});
const suffix = crypto.randomBytes(4).toString('hex');
const topic = `check-${suffix}`,
  autoTopic = `auto-${suffix}`,
  groupId = `group-${suffix}`;
const results = [];
async function step(name, fn) {
  try {
    const r = await fn();
    results.push(['ok', name]);
    console.log('OK  ', name, r === undefined ? '' : JSON.stringify(r));
    return r;
  } catch (e) {
    results.push(['FAIL', name]);
    console.log('FAIL', name, e.name, e.type || '', e.message);
  }
}
(async () => {
  const admin = kafka.admin();
  await step('admin.connect (ApiVersions, Metadata)', () => admin.connect());
  await step('admin.describeCluster', async () => (await admin.describeCluster()).brokers);
  await step('admin.createTopics (CreateTopics)', () =>
    admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true }),
  );
  await step(
    'admin.fetchTopicMetadata',
    async () => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.length,
  );
  await step(
    'admin.describeConfigs (DescribeConfigs)',
    async () =>
      (await admin.describeConfigs({ resources: [{ type: 2, name: topic }], includeSynonyms: false })).resources.length,
  );

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await step('idempotent producer.connect (InitProducerId)', () => producer.connect());
  await step(
    'producer.send acks=-1 (Produce)',
    async () =>
      (
        await producer.send({
          topic,
          acks: -1,
          messages: [1, 2, 3, 4, 5, 6].map((i) => ({ key: `k${i % 3}`, value: `v${i}` })),
        })
      ).length,
  );
  await step(
    'producer.send to unknown topic (auto topic creation)',
    async () => (await producer.send({ topic: autoTopic, messages: [{ key: 'a', value: 'auto' }] })).length,
  );

  const txProducer = kafka.producer({ transactionalId: `tx-${suffix}`, idempotent: true, maxInFlightRequests: 1 });
  await step('transactional producer (InitProducerId w/ txId, AddPartitionsToTxn, EndTxn)', async () => {
    await txProducer.connect();
    const tx = await txProducer.transaction();
    await tx.send({ topic, messages: [{ key: 'tx', value: 'tx' }] });
    await tx.commit();
    await txProducer.disconnect();
  });

  const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000 });
  const received = [];
  await step('consumer.connect+subscribe', async () => {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
  });
  await step(
    'consumer group run (FindCoordinator, JoinGroup, SyncGroup, Fetch, OffsetFetch) + commitOffsets (OffsetCommit)',
    () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timeout, received ${received.length}`)), 30000);
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ topic: t, partition, message }) => {
              received.push(message.value.toString());
              await consumer.commitOffsets([{ topic: t, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
              if (received.length >= 7) {
                clearTimeout(timer);
                resolve(received.sort());
              }
            },
          })
          .catch(reject);
      }),
  );
  await step('admin.fetchOffsets (OffsetFetch)', async () =>
    (await admin.fetchOffsets({ groupId, topics: [topic] }))[0].partitions.map((p) => p.offset),
  );
  await step(
    'admin.describeGroups (DescribeGroups)',
    async () => (await admin.describeGroups([groupId])).groups[0].state,
  );
  await step('consumer.disconnect (LeaveGroup)', () => consumer.disconnect());
  await step('admin.listGroups (ListGroups)', async () => (await admin.listGroups()).groups.length);
  await step('admin.fetchTopicOffsets (ListOffsets)', async () =>
    (await admin.fetchTopicOffsets(topic)).map((p) => p.high),
  );
  await step('admin.deleteTopicRecords (DeleteRecords)', () =>
    admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '-1' }] }),
  );
  await step('admin.createPartitions (CreatePartitions)', () =>
    admin.createPartitions({ topicPartitions: [{ topic, count: 4 }] }),
  );
  await step('admin.deleteGroups (DeleteGroups)', () => admin.deleteGroups([groupId]));
  await step('admin.deleteTopics (DeleteTopics)', () => admin.deleteTopics({ topics: [topic, autoTopic] }));
  await producer.disconnect().catch(() => {});
  await admin.disconnect();
  const failed = results.filter((r) => r[0] === 'FAIL');
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length ? 1 : 0);
})().catch((e) => {
  console.error('crash', e);
  process.exit(1);
});
