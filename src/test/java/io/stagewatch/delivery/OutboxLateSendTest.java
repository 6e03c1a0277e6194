package io.stagewatch.delivery;

import static io.stagewatch.delivery.OutboxFixtures.finishedRun;
import static io.stagewatch.delivery.OutboxFixtures.sent;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.stagewatch.store.OutboxRepository;
import io.stagewatch.store.RunRepository;
import io.stagewatch.testing.AllProfiles;
import io.stagewatch.testing.MailSink;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.NoBackgroundWork;
import io.stagewatch.testing.Runs;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server that accepts a mail only after the send timeout: the send goes on, and the row is not sent again while it
 * could still be accepted. Before, the attempt counted as failed at the timeout and was retried at once, and the server
 * accepted both.
 */
@QuarkusTest
@MockCluster
// the service's own processor sends nothing: only the test's slow one sees the row
@TestProfile(NoBackgroundWork.class)
class OutboxLateSendTest {

    @RegisterExtension
    static final MailSink SMTP = MailSink.on(MailSink.TEST_PORT);

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(1);
    /** When the server accepts: after the send timeout, well before the lease (6 s) ends. */
    private static final Duration ACCEPTED_AFTER = Duration.ofSeconds(2);

    @Inject
    RunRepository runs;

    @Inject
    Pool pool;

    @Inject
    MailComposer composer;

    @Inject
    ReactiveMailer mailer;

    @Inject
    WebhookSender webhooks;

    @Inject
    SlackSender slack;

    @Test
    void aMailAcceptedAfterTheSendTimeoutIsSentOnce() {
        // the server takes the mail as the send begins and accepts it ACCEPTED_AFTER later, whatever the client does
        ReactiveMailer slow = mails -> {
            Uni<Void> accepted = Uni.createFrom()
                    .voidItem()
                    .onItem()
                    .delayIt()
                    .by(ACCEPTED_AFTER)
                    .flatMap(ignored -> mailer.send(mails))
                    .memoize()
                    .indefinitely();
            accepted.subscribe().with(ignored -> {}, failure -> {});
            return accepted;
        };
        ChannelSenders senders = new ChannelSenders(List.of(new MailSender(composer, slow), webhooks, slack));
        OutboxProcessor processor = new OutboxProcessor(
                new OutboxRepository(pool),
                senders,
                AllProfiles.config(Map.of(
                        // the test application's cluster: a processor sends only its own cluster's notifications
                        "stagewatch.cluster.name",
                        Runs.CLUSTER,
                        "stagewatch.outbox.send-timeout",
                        SEND_TIMEOUT.toSeconds() + "s",
                        "stagewatch.outbox.lease",
                        "6s",
                        "stagewatch.outbox.backoff.initial",
                        "200ms",
                        "stagewatch.outbox.backoff.max",
                        "1s")),
                new DeliveryMetrics(new SimpleMeterRegistry(), senders),
                Duration.ofSeconds(20));
        String uid = finishedRun(runs, "late", 1);

        // drained as the scheduler would: a drain already running goes round once more
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    processor.drain().subscribe().with(ignored -> {});
                    return sent(pool, uid) == 1 || accepted(uid) > 1;
                });

        assertEquals(1, accepted(uid), "mails accepted");
        assertEquals(1, sent(pool, uid), "rows marked sent");
        // a second send, had there been one, would be accepted ACCEPTED_AFTER after it began
        await().during(ACCEPTED_AFTER.plusSeconds(2))
                .atMost(ACCEPTED_AFTER.plusSeconds(4))
                .until(() -> accepted(uid) == 1);
    }

    private long accepted(String uid) {
        return SMTP.all().stream()
                .map(MailSink::messageId)
                .filter(id -> id.contains(uid))
                .count();
    }
}
