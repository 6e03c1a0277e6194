package io.stagewatch.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.stagewatch.pipeline.FeedBroadcaster;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.SmallFeed;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Feed clients come and go without a trace, and no more than the configured number are served at once. */
@QuarkusTest
@MockCluster
@TestProfile(SmallFeed.class)
class FeedClientsTest {

    private static final int MAX_CLIENTS = SmallFeed.MAX_CLIENTS;

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL root;

    @Inject
    MeterRegistry registry;

    @Inject
    FeedBroadcaster broadcaster;

    @Test
    void fiveHundredClientsThatConnectAndDropLeaveNoSubscriberBehind() throws IOException {
        await().atMost(WAIT).until(() -> clients() == 0);
        int subscribers = broadcaster.subscribers();

        for (int i = 0; i < 500; i++) {
            try (Socket client = connect()) {
                assertTrue(statusLine(client).startsWith("HTTP/1.1 200"), "served: the stream has begun");
            }
        }

        // a close the server has not read yet shows at the next heartbeat's write at the latest
        Duration drained = Duration.ofSeconds(40);
        await().atMost(drained).until(() -> clients() == 0);
        await().atMost(drained).until(() -> broadcaster.subscribers() == subscribers);
    }

    @Test
    void theClientBeyondTheLimitIsToldToComeBackLater() throws IOException {
        List<Socket> connected = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CLIENTS; i++) {
                connected.add(connect());
            }
            await().atMost(WAIT).until(() -> clients() == MAX_CLIENTS);

            given().get("/api/feed")
                    .then()
                    .statusCode(503)
                    .contentType(Problem.MEDIA_TYPE)
                    .header("Retry-After", notNullValue())
                    .body("title", equalTo("Too many feed clients"));
        } finally {
            for (Socket socket : connected) {
                socket.close();
            }
        }
        await().atMost(Duration.ofSeconds(40)).until(() -> clients() == 0);
        try (Socket client = connect()) {
            assertTrue(statusLine(client).startsWith("HTTP/1.1 200"), "a place is free again");
        }
    }

    /** A browser's EventSource, as far as the server can tell: a GET of the feed that stays open. */
    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), root.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/feed HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static String statusLine(Socket socket) throws IOException {
        socket.setSoTimeout((int) WAIT.toMillis());
        StringBuilder line = new StringBuilder();
        InputStream in = socket.getInputStream();
        for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString();
    }

    private double clients() {
        return registry.get("stagewatch.feed.clients").gauge().value();
    }
}
