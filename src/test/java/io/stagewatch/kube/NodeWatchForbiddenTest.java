package io.stagewatch.kube;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Without the right to watch nodes, stagewatch says so once, counts it, and goes on as before issue 25. */
class NodeWatchForbiddenTest {

    private static final String FORBIDDEN = """
            {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,
             "message":"nodes is forbidden: User \\"system:serviceaccount:stagewatch:stagewatch\\" cannot list resource \\"nodes\\" in API group \\"\\" at the cluster scope"}""";

    @Test
    void aWatchRefusedWith403IsCountedOnceAndNoPodIsEverRead() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = FORBIDDEN.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        MeterRegistry registry = new SimpleMeterRegistry();
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder()
                        .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build()) {
            NodeWatch watch = new NodeWatch(
                    "default",
                    client,
                    NodeWatchForbiddenTest::noPodMayBeRead,
                    new NodeRisks(null, null, new KubeMetrics(registry)),
                    Duration.ofSeconds(40));
            watch.start();
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> registry.counter("stagewatch.nodes.forbidden").count() == 1);

            for (int i = 0; i < 3; i++) {
                watch.evaluate(Instant.now());
            }
            assertEquals(1, registry.counter("stagewatch.nodes.forbidden").count());
            assertEquals(1, requests.get(), "one LIST, refused; no retry, no watch");
            assertEquals(0, watch.atRisk());
            watch.stop();
        } finally {
            server.stop(0);
        }
    }

    private static Stream<Pod> noPodMayBeRead() {
        throw new AssertionError("a pod was read without any node known");
    }
}
