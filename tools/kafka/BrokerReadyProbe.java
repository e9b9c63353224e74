import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Readiness probe used by kafka.sh start/status.
 *
 * An open TCP port is not enough: a KRaft broker accepts connections before it has caught
 * up with the metadata log and been unfenced, and clients connecting in that window get
 * retriable errors that make the first test of a run flaky. So "ready" here means the broker
 * answered a DescribeCluster and a Metadata (listTopics) request within the timeout.
 *
 * It also fetches the offsets of a throwaway group: that makes the broker create and load
 * __consumer_offsets now, instead of the first consumer of a test run getting
 * COORDINATOR_NOT_AVAILABLE / "coordinator is loading" retries (seconds of noisy logs).
 * Likewise it initialises a transactional producer, which creates __transaction_state and
 * makes the controller hand out the first block of producer ids that idempotent producers need.
 *
 * Usage: java BrokerReadyProbe <bootstrap host:port> <timeoutMs>; exit 0 when ready, 1 otherwise.
 */
public final class BrokerReadyProbe {
    private BrokerReadyProbe() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: BrokerReadyProbe <host:port> <timeoutMs>");
            System.exit(2);
        }
        String bootstrap = args[0];
        int timeoutMs = Integer.parseInt(args[1]);

        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        // One quick attempt per probe: the bash loop owns the overall deadline.
        config.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 200);

        try (Admin admin = Admin.create(config)) {
            DescribeClusterResult cluster = admin.describeCluster();
            Collection<Node> nodes = cluster.nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
            String clusterId = cluster.clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
            int topics = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS).size();
            admin.listConsumerGroupOffsets("kafka-sh-readiness-probe")
                .partitionsToOffsetAndMetadata().get(timeoutMs, TimeUnit.MILLISECONDS);
            warmUpProducerIds(bootstrap, timeoutMs);
            if (nodes.isEmpty()) {
                System.err.println("not ready: metadata lists no brokers yet");
                System.exit(1);
            }
            System.out.println("ready: cluster " + clusterId + ", " + nodes.size() + " broker(s), " + topics + " topic(s)");
        } catch (Exception e) {
            System.err.println("not ready: " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    private static void warmUpProducerIds(String bootstrap, int timeoutMs) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kafka-sh-readiness-probe");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
        }
    }
}
