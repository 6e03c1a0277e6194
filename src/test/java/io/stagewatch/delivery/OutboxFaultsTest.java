package io.stagewatch.delivery;

import static io.restassured.RestAssured.given;
import static io.stagewatch.delivery.OutboxFixtures.finishedRun;
import static io.stagewatch.delivery.OutboxFixtures.sent;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.store.OutboxRepository;
import io.stagewatch.store.RunRepository;
import io.stagewatch.testing.MailSink;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Ports;
import io.stagewatch.testing.TcpProxy;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The outbox against a slow and a hung SMTP server: a send that never ends times out, a lease never runs out while
 * its row is still to be sent, and rows claimed by an instance that stops are handed back. The service's mailer talks
 * to the SMTP server through a proxy that delays every response by 250 ms (about a second per mail) or plays a tarpit.
 * (At 125 ms, with the lease and the send timeout halved, the stopping instance once handed nothing back in a full
 * run: kept at 250 ms.)
 */
@QuarkusTest
@MockCluster
@TestProfile(OutboxFaultsTest.SlowSmtp.class)
class OutboxFaultsTest {

    private static final int PROXY_PORT = Ports.free();

    public static class SlowSmtp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.mailer.port",
                    Integer.toString(PROXY_PORT),
                    "stagewatch.outbox.lease",
                    "12s",
                    "stagewatch.outbox.send-timeout",
                    "5s",
                    "stagewatch.outbox.concurrency",
                    "8",
                    "stagewatch.outbox.max-attempts",
                    "50",
                    "stagewatch.outbox.backoff.initial",
                    "200ms",
                    "stagewatch.outbox.backoff.max",
                    "1s");
        }
    }

    @RegisterExtension
    static final MailSink SMTP = MailSink.on(MailSink.TEST_PORT);

    private static final TcpProxy PROXY = new TcpProxy(PROXY_PORT, MailSink.TEST_PORT, Duration.ofMillis(250));
    private static final Duration WAIT = Duration.ofSeconds(120);

    @Inject
    RunRepository runs;

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    ChannelSenders senders;

    @Inject
    StagewatchConfig config;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String databaseUrl;

    @AfterAll
    static void closeProxy() throws Exception {
        PROXY.close();
    }

    @Test
    void aHungSmtpServerTimesOutEverySendAndTheProcessorRecoversWhenItAnswersAgain() {
        PROXY.hang();
        String uid;
        try {
            uid = finishedRun(runs, "hung", 5);
            // every attempt hangs until the send timeout, then counts as failed, with backoff
            await().atMost(WAIT)
                    .untilAsserted(() -> given().get("/api/runs/{uid}/notifications", uid)
                            .then()
                            .body("findAll { it.attempts >= 1 && it.lastError != null }.size()", equalTo(5))
                            .body("[0].lastError", containsString("Timeout")));
        } finally {
            PROXY.restore();
        }

        await().atMost(WAIT).until(() -> sent(pool, uid) == 5);
        assertEachOnce(uid, 5);
    }

    @Test
    void twoProcessorsWithSlowSendsAndAShortLeaseSendEachRowOnce() {
        Pool second = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(4))
                .connectingTo(databaseUrl + "?user=postgres")
                .using(vertx)
                .build();
        OutboxProcessor other = new OutboxProcessor(
                new OutboxRepository(second),
                senders,
                config,
                new DeliveryMetrics(new SimpleMeterRegistry(), senders),
                Duration.ofSeconds(20));
        try {
            String uid = finishedRun(runs, "lease", 200);
            // the service's own processor was woken by NOTIFY; the second one drains until nothing is due
            await().atMost(WAIT).until(() -> {
                other.drain().await().atMost(Duration.ofSeconds(60));
                return sent(pool, uid) == 200;
            });
            assertEachOnce(uid, 200);
        } finally {
            second.closeAndAwait();
        }
    }

    @Test
    void anInstanceThatStopsHandsBackWhatItClaimedAndAnotherSendsItOnce() {
        Pool second = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(4))
                .connectingTo(databaseUrl + "?user=postgres")
                .using(vertx)
                .build();
        var registry = new SimpleMeterRegistry();
        OutboxProcessor stopping = new OutboxProcessor(
                new OutboxRepository(second),
                senders,
                config,
                new DeliveryMetrics(registry, senders),
                Duration.ofSeconds(20));
        try {
            String uid = finishedRun(runs, "stop", 100);
            stopping.drain().subscribe().with(ignored -> {});
            // it claimed more than it sends at once: some rows wait for a free send
            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> stopping.claimedNotStarted() > 0);

            stopping.onShutdownBegins(null);
            stopping.onStop(null);

            assertTrue(
                    registry.counter("stagewatch.outbox.released").count() > 0,
                    "claimed rows not sent were handed back");
            await().atMost(WAIT).until(() -> sent(pool, uid) == 100); // the service's own processor sends the rest
            assertEachOnce(uid, 100);
        } finally {
            second.closeAndAwait();
        }
    }

    private void assertEachOnce(String uid, int expected) {
        List<String> ids = SMTP.all().stream()
                .map(MailSink::messageId)
                .filter(id -> id.contains(uid))
                .toList();
        assertEquals(
                expected,
                ids.size(),
                "one mail per row: " + ids.size() + " accepted, " + new HashSet<>(ids).size() + " distinct");
        assertEquals(expected, new HashSet<>(ids).size());
    }
}
