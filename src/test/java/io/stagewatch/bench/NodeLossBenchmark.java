package io.stagewatch.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.stagewatch.run.NodeLoss;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.Pods;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench}: issue 25's latencies at 10,000 running pods ({@code bench.nodes.pods}) on 50 nodes
 * ({@code bench.nodes.count}) of the mock API server: from a node's change (NotReady, tainted unreachable) to every run
 * on it flagged at risk, for pods that tolerate the taint 300 s; and to every run on it NODE_LOST, for pods that do
 * not tolerate it. Times are read from the database, polled every 20 ms. Writes {@code target/bench/nodes.json}; reports,
 * never asserts, the times.
 */
@QuarkusTest
@TestProfile(NodeLossBenchmark.Profile.class)
@WithKubernetesTestServer
@Tag("bench")
class NodeLossBenchmark {

    private static final Logger LOG = Logger.getLogger(NodeLossBenchmark.class);
    private static final String NAMESPACE = "bench-nodes";

    /** The bench profile with the scheduler on (the node watch evaluates every second) and no reconcile pass. */
    public static class Profile extends BenchProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new LinkedHashMap<>(super.getConfigOverrides());
            overrides.put("quarkus.scheduler.enabled", "true");
            overrides.put("stagewatch.reconcile.interval", "1h");
            overrides.put("%test.stagewatch.reconcile.interval", "1h");
            return overrides;
        }
    }

    @Inject
    KubernetesClient client;

    @Inject
    Pool pool;

    @Test
    void fromANodesChangeToItsRunsFlaggedAndLost() throws Exception {
        int pods = Integer.getInteger("bench.nodes.pods", 10_000);
        int nodes = Integer.getInteger("bench.nodes.count", 50);
        Cluster cluster = new Cluster(client);
        pool.query("DELETE FROM outbox").execute().await().indefinitely();
        pool.query("DELETE FROM transitions").execute().await().indefinitely();
        pool.query("DELETE FROM runs").execute().await().indefinitely();
        String prefix = Pods.name("bench");
        for (int n = 0; n < nodes; n++) {
            cluster.node(prefix + "-" + n, "True", Instant.now(), null);
        }
        long createStart = System.nanoTime();
        for (int i = 0; i < pods; i++) {
            int node = i % nodes;
            Pods pod = Pods.workflow(NAMESPACE, prefix + "-pod-" + i, "ci")
                    .running()
                    .node(prefix + "-" + node);
            // every pod tolerates a failing node 300 s (Kubernetes' default) but the second node's, which do not at all
            cluster.create((node == 1 ? pod : pod.tolerating(300L)).build());
        }
        await().atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> count("SELECT count(*) FROM runs WHERE status = 'RUNNING'") >= pods);
        double recordedSeconds = (System.nanoTime() - createStart) / 1e9;
        int perNode = pods / nodes;

        long flagStart = System.nanoTime();
        cluster.node(prefix + "-0", "Unknown", Instant.now(), NodeLoss.UNREACHABLE);
        awaitCount("SELECT count(*) FROM runs WHERE node = $1 AND at_risk IS NOT NULL", prefix + "-0", perNode);
        double flagSeconds = (System.nanoTime() - flagStart) / 1e9;

        long lostStart = System.nanoTime();
        cluster.node(prefix + "-1", "Unknown", Instant.now(), NodeLoss.UNREACHABLE);
        awaitCount("SELECT count(*) FROM runs WHERE node = $1 AND reason = 'NODE_LOST'", prefix + "-1", perNode);
        double lostSeconds = (System.nanoTime() - lostStart) / 1e9;

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("pods", pods);
        report.put("nodes", nodes);
        report.put("runsPerNode", perNode);
        report.put("secondsToRecordEveryRun", round(recordedSeconds));
        report.put("secondsFromNodeChangeToEveryRunFlagged", round(flagSeconds));
        report.put("secondsFromNodeChangeToEveryRunNodeLost", round(lostSeconds));
        Path dir = Files.createDirectories(Path.of("target/bench"));
        Path json = dir.resolve("nodes.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        LOG.infof("Node loss at %d pods on %d nodes: %s (%s)", pods, nodes, report, json);
    }

    private void awaitCount(String sql, String node, int expected) {
        await().atMost(1, TimeUnit.MINUTES)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> pool.preparedQuery(sql)
                                .execute(Tuple.of(node))
                                .await()
                                .indefinitely()
                                .iterator()
                                .next()
                                .getLong(0)
                        >= expected);
    }

    private long count(String sql) {
        return pool.query(sql)
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
