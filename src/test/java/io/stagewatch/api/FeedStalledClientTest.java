package io.stagewatch.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.stagewatch.pipeline.Observation;
import io.stagewatch.pipeline.ObservationBus;
import io.stagewatch.run.Source;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import io.stagewatch.testing.SmallFeed;
import io.stagewatch.testing.SseClient;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A feed client that stops reading is disconnected, and another client of the same feed keeps receiving every event.
 * Transitions are published in small rounds, each awaited at the healthy client, until the stalled one is cut: the test
 * waits for states, never for a rate, so a loaded machine only makes it slower.
 */
@QuarkusTest
@MockCluster
// a buffer of 16 events: the stalled client overflows it soon after the kernel's socket buffers are full
@TestProfile(SmallFeed.class)
class FeedStalledClientTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Fewer than the buffer: the healthy client, awaited after each round, never holds more than this. */
    private static final int ROUND = 8;
    /**
     * Each event carries a 32 KiB message, so the few MiB that the kernel buffers between the stalled reader and the
     * server (at most 4 MiB of send buffer here, net.ipv4.tcp_wmem) fill after a few hundred events, not thousands.
     */
    private static final String MESSAGE = "The node was low on resource: memory. ".repeat(32 * 1024 / 38);
    /** 64 MiB of events: far more than any socket buffers; reaching it without a cut-off is a failure. */
    private static final int MOST_EVENTS = 2048;

    @TestHTTPResource("/api/feed")
    String feed;

    @Inject
    ObservationBus bus;

    @Inject
    MeterRegistry registry;

    @Test
    void stalledClientIsCutOffWhileAnotherKeepsReceiving() throws Exception {
        String namespace = Pods.name("stall");
        String path = "/api/feed?namespace=" + namespace;
        double cutBefore = disconnected();
        URI uri = URI.create(feed);
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(1024);
            stalled.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try (SseClient healthy = new SseClient(feed + "?namespace=" + namespace, null)) {
                await().atMost(WAIT).until(() -> healthy.status() == 200);
                int published = 0;
                while (disconnected() == cutBefore) {
                    assertTrue(
                            published < MOST_EVENTS,
                            "the stalled client is still connected after " + published + " events");
                    for (int i = 0; i < ROUND; i++) {
                        publishEviction(namespace, "p-" + published++);
                    }
                    int expected = published;
                    // checked every 10 ms from the start: Awaitility's default first poll after 100 ms, at each of
                    // some hundred rounds, was most of this test's time
                    await().atMost(WAIT)
                            .pollDelay(Duration.ZERO)
                            .pollInterval(Duration.ofMillis(10))
                            .until(() -> healthy.events().size() == expected);
                }
                assertEquals(cutBefore + 1, disconnected(), "only the stalled client was cut off");
                assertFalse(healthy.ended(), "the healthy client is still connected");

                publishEviction(namespace, "after-the-cut");
                int expected = published + 1;
                await().atMost(WAIT).until(() -> healthy.events().size() == expected);
                assertFalse(healthy.ended(), "the healthy client is still connected");
            }
            assertTrue(closedByServer(stalled), "the server closed the stalled client's connection");
        }
    }

    /** One transition: a pod evicted with a long message. */
    private void publishEviction(String namespace, String name) {
        Pod pod = Pods.workflow(namespace, name, "ci")
                .failed(137)
                .reason("Evicted", MESSAGE)
                .build();
        bus.publish(new Observation.PodSeen(Source.WATCH, pod, false));
    }

    /**
     * Reads what the server had sent until the connection ends; false if it is still open after {@link #WAIT} (an open
     * feed never goes quiet: heartbeats keep coming).
     */
    private static boolean closedByServer(Socket socket) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        socket.setSoTimeout(1000);
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[64 * 1024];
        while (System.nanoTime() < deadline) {
            try {
                if (in.read(chunk) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException quiet) {
                // nothing yet: read again until the deadline
            } catch (SocketException reset) {
                return true;
            }
        }
        return false;
    }

    private double disconnected() {
        return registry.counter("stagewatch.feed.disconnected").count();
    }
}
