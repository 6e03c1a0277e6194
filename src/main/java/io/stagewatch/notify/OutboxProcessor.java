package io.stagewatch.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.notification.ClaimedMail;
import io.stagewatch.notification.DeliveryStatus;
import io.stagewatch.notification.NotificationEvent;
import io.stagewatch.store.OutboxRepository;

/**
 * Sends the outbox: claims due rows with a lease, sends each through the mailer with its deterministic Message-ID,
 * marks it sent, and on failure schedules the next attempt with exponential backoff and jitter, or marks it DEAD.
 * Any number of processors (instances) may run: a row is claimed by one at a time.
 *
 * <p>
 * The one window no processor can close: the SMTP server accepted a mail and the process died before the row was
 * marked. The lease then expires and the mail is sent again, with the same Message-ID.
 */
@ApplicationScoped
public class OutboxProcessor {

    private static final Logger LOG = Logger.getLogger(OutboxProcessor.class);
    private static final int MAX_ERROR_LENGTH = 1000;

    private final OutboxRepository outbox;
    private final MailComposer composer;
    private final ReactiveMailer mailer;
    private final StagewatchConfig.Outbox config;
    private final MeterRegistry registry;
    private final Timer latency;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean wokenWhileDraining = new AtomicBoolean();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();

    public OutboxProcessor(OutboxRepository outbox, MailComposer composer, ReactiveMailer mailer, StagewatchConfig config,
            MeterRegistry registry) {
        this.outbox = outbox;
        this.composer = composer;
        this.mailer = mailer;
        this.config = config.outbox();
        this.registry = registry;
        this.latency = Timer.builder("stagewatch.notifications.latency")
                .description("From the transition's commit to the SMTP server's acceptance")
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder("stagewatch.outbox.pending", pending, AtomicLong::get)
                .description("Notifications waiting to be sent").register(registry);
        Gauge.builder("stagewatch.outbox.oldest.age.seconds", oldestAgeSeconds, AtomicLong::get)
                .description("Age of the oldest notification waiting to be sent").baseUnit("seconds").register(registry);
        // every series at 0 from the start, so that an alert on increase(...) sees the first DEAD mail too
        for (NotificationEvent event : NotificationEvent.values()) {
            List.of("sent", "retry", "dead").forEach(result -> notifications(event, result));
        }
    }

    /**
     * Sends every due row, batch after batch, unless this instance is already doing so: then the running drain goes
     * round once more. Never fails.
     */
    public Uni<Void> drain() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        if (!draining.compareAndSet(false, true)) {
            wokenWhileDraining.set(true);
            return Uni.createFrom().voidItem();
        }
        wokenWhileDraining.set(false);
        return drainBatches()
                .onFailure().invoke(failure -> LOG.warnf("Outbox pass failed: %s", failure.getMessage()))
                .onFailure().recoverWithNull()
                .eventually(() -> draining.set(false))
                .flatMap(ignored -> wokenWhileDraining.get() ? drain() : Uni.createFrom().voidItem());
    }

    private Uni<Void> drainBatches() {
        return outbox.claim(config.batchSize(), config.lease(), UUID.randomUUID())
                .flatMap(claimed -> send(claimed)
                        .flatMap(ignored -> claimed.size() == config.batchSize() ? drainBatches()
                                : Uni.createFrom().voidItem()));
    }

    private Uni<Void> send(List<ClaimedMail> claimed) {
        if (claimed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(claimed)
                .onItem().transformToUni(this::deliverAndMark).merge(config.concurrency())
                .collect().last()
                .replaceWithVoid();
    }

    /** Never fails: a failed send is recorded on the row, a failed record is left to the lease. */
    private Uni<Void> deliverAndMark(ClaimedMail mail) {
        return deliver(mail)
                .onItemOrFailure().transformToUni((ignored, failure) -> failure == null ? sent(mail) : failed(mail, failure))
                .onFailure().invoke(failure -> LOG.warnf("Could not record the outcome of mail %d (%s); its lease will "
                        + "make it due again", mail.id(), failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> sent(ClaimedMail mail) {
        return outbox.markSent(mail)
                .invoke(marked -> {
                    latency.record(Duration.between(mail.queuedAt(), Instant.now()));
                    count(mail, "sent");
                    if (!marked) {
                        LOG.warnf("Mail %d was sent after its lease ended", mail.id());
                    }
                })
                .replaceWithVoid();
    }

    /** Sends one claimed mail; the SMTP server's acceptance completes the Uni. */
    public Uni<Void> deliver(ClaimedMail mail) {
        return mailer.send(composer.compose(mail));
    }

    private Uni<Void> failed(ClaimedMail mail, Throwable failure) {
        String error = truncate(failure.getClass().getSimpleName() + ": " + failure.getMessage());
        return outbox.markFailed(mail, error, backoff(mail.attempts()), config.maxAttempts())
                .invoke(status -> {
                    if (status == DeliveryStatus.DEAD) {
                        count(mail, "dead");
                        LOG.errorf("Mail %d (%s to %s) is DEAD after %d attempts: %s", mail.id(), mail.event(),
                                mail.recipient(), mail.attempts(), error);
                    } else if (status != null) {
                        count(mail, "retry");
                        LOG.warnf("Mail %d failed (attempt %d), retrying: %s", mail.id(), mail.attempts(), error);
                    }
                })
                .replaceWithVoid();
    }

    /** The pause before attempt {@code attempts + 1}: initial × 2^(attempts-1), capped, with ±20% jitter. */
    Duration backoff(int attempts) {
        long initial = config.backoff().initial().toMillis();
        long max = config.backoff().max().toMillis();
        long base = initial << Math.min(Math.max(attempts - 1, 0), 30);
        long capped = base <= 0 || base > max ? max : base;
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis((long) (capped * jitter));
    }

    /** Refreshes the backlog gauges. */
    public Uni<Void> measureBacklog() {
        return outbox.backlog()
                .invoke(backlog -> {
                    pending.set(backlog.pending());
                    oldestAgeSeconds.set(backlog.oldest() == null ? 0
                            : Math.max(0, Duration.between(backlog.oldest(), Instant.now()).toSeconds()));
                })
                .replaceWithVoid();
    }

    private void count(ClaimedMail mail, String result) {
        notifications(mail.event(), result).increment();
    }

    private Counter notifications(NotificationEvent event, String result) {
        return Counter.builder("stagewatch.notifications").description("Mails handed to the SMTP server, by event and result")
                .tags("event", event.name(), "result", result).register(registry);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
    }
}
