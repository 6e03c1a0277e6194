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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Without the right to watch nodes, stagewatch says so once, counts it, and goes on as before issue 25; a node watch
 * that failed for another reason is started again by the watchdog.
 */
class NodeWatchForbiddenTest {

    private final AtomicInteger requests = new AtomicInteger();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private HttpServer server;
    private KubernetesClient client;

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void aWatchRefusedWith403IsCountedOnceNeverRestartedAndReadsNoPod() throws IOException {
        NodeWatch watch = watch(request -> 403);
        awaitForbidden();

        for (int i = 0; i < 3; i++) {
            watch.evaluate(Instant.now());
            watch.restartIfStopped();
        }
        assertEquals(1, registry.counter("stagewatch.nodes.forbidden").count());
        assertEquals(1, requests.get(), "one LIST, refused; no retry, no restart by the watchdog, no watch");
        assertEquals(0, watch.atRisk());
        watch.stop();
    }

    @Test
    void aWatchThatFailedToStartIsStartedAgainByTheWatchdog() throws IOException {
        // the API server is unavailable at first; then it refuses, which shows the second start
        NodeWatch watch = watch(request -> request == 1 ? 503 : 403);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> requests.get() == 1);
        assertEquals(0, registry.counter("stagewatch.nodes.forbidden").count());

        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> {
                    watch.restartIfStopped();
                    assertEquals(
                            1, registry.counter("stagewatch.nodes.forbidden").count());
                });
        assertEquals(2, requests.get());
        watch.stop();
    }

    /** A node watch, started, against an API server that answers the n-th request with {@code status.apply(n)}. */
    private NodeWatch watch(IntUnaryOperator status) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            int code = status.applyAsInt(requests.incrementAndGet());
            byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + code + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder()
                        .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build();
        NodeWatch watch = new NodeWatch(
                "default",
                client,
                NodeWatchForbiddenTest::noPodMayBeRead,
                new NodeRisks(null, null, new KubeMetrics(registry)),
                Duration.ofSeconds(40));
        watch.start();
        return watch;
    }

    private void awaitForbidden() {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> registry.counter("stagewatch.nodes.forbidden").count() == 1);
    }

    private static Stream<Pod> noPodMayBeRead() {
        throw new AssertionError("a pod was read without any node known");
    }
}
