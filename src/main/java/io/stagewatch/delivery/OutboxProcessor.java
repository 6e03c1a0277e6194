package io.stagewatch.delivery;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.concurrent.SingleFlight;
import io.stagewatch.notification.ClaimedNotification;
import io.stagewatch.notification.DeliveryStatus;
import io.stagewatch.store.OutboxRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends the outbox: claims due rows of the channels it has a sender for, with a lease, sends each through its
 * channel's {@link ChannelSender} (a mail with its deterministic Message-ID, a webhook with it as Idempotency-Key),
 * marks it sent, and on failure schedules the next attempt with exponential backoff and jitter (or when the receiver
 * asked, capped by the backoff's maximum), or marks it DEAD: after the last attempt, or at once when the receiver
 * refused it for good. Any number of processors (instances) may run: a row is claimed by one at a time. A row of a
 * channel this release has no sender for waits for a release that has one.
 *
 * <p>
 * The one window no processor can close: the server accepted a notification and the process died before the row was
 * marked. The lease then expires and it is sent again, with the same id.
 */
@ApplicationScoped
public class OutboxProcessor {

    private static final Logger LOG = Logger.getLogger(OutboxProcessor.class);
    private static final int MAX_ERROR_LENGTH = 1000;

    private final OutboxRepository outbox;
    private final ChannelSenders senders;
    private final StagewatchConfig.Outbox config;
    /**
     * The clusters this instance watches: it delivers their notifications only (another cluster's instance may differ
     * in SMTP server, allowed domains and webhook hosts).
     */
    private final Set<String> clusters;

    private final DeliveryMetrics metrics;
    private final SingleFlight drains =
            new SingleFlight(this::drainBatches, failure -> LOG.warnf("Outbox pass failed: %s", failure.getMessage()));
    /** Claimed rows whose send has not started. */
    private final Set<ClaimedNotification> waiting = ConcurrentHashMap.newKeySet();
    /** Sends started and not finished; also the monitor the shutdown waits on. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Time a send may take beyond its timeout before the lease ends: the mark, the clocks. */
    private final Duration margin;

    private final Duration shutdownTimeout;
    private volatile boolean stopping;

    public OutboxProcessor(
            OutboxRepository outbox,
            ChannelSenders senders,
            StagewatchConfig config,
            DeliveryMetrics metrics,
            @ConfigProperty(name = "quarkus.shutdown.timeout", defaultValue = "20s") Duration shutdownTimeout) {
        if (config.outbox().sendTimeout().compareTo(config.outbox().lease()) >= 0) {
            throw new IllegalArgumentException("stagewatch.outbox.send-timeout ("
                    + config.outbox().sendTimeout() + ") must be shorter than stagewatch.outbox.lease ("
                    + config.outbox().lease() + ")");
        }
        this.margin = Duration.ofMillis(Math.min(
                2000,
                config.outbox().lease().minus(config.outbox().sendTimeout()).toMillis() / 2));
        this.shutdownTimeout = shutdownTimeout;
        this.outbox = outbox;
        this.senders = senders;
        this.config = config.outbox();
        this.clusters = Set.of(config.cluster().name());
        this.metrics = metrics;
    }

    /**
     * Sends every due row, batch after batch, unless this instance is already doing so: then the running drain goes
     * round once more. Never fails.
     */
    public Uni<Void> drain() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return drains.run();
    }

    private Uni<Void> drainBatches() {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        long leaseEnds =
                System.nanoTime() + config.lease().toNanos(); // taken before the claim: never later than the DB's
        int limit = claimLimit();
        return outbox.claim(senders.channels(), clusters, limit, config.lease(), UUID.randomUUID())
                .invoke(claimed -> waiting.addAll(claimed))
                .flatMap(claimed -> send(claimed, leaseEnds)
                        // a full claim may have left due rows behind: claim again until one comes back short
                        .flatMap(ignored -> claimed.size() == limit
                                ? drainBatches()
                                : Uni.createFrom().voidItem()));
    }

    /**
     * No more rows than can be sent within the lease even when every send runs into the send timeout: {@code
     * concurrency} sends at a time, as many rounds as fit in the lease less the margin.
     */
    int claimLimit() {
        long rounds = Math.max(
                1,
                (config.lease().toMillis() - margin.toMillis())
                        / config.sendTimeout().toMillis());
        return (int) Math.min(config.batchSize(), rounds * config.concurrency());
    }

    private Uni<Void> send(List<ClaimedNotification> claimed, long leaseEnds) {
        if (claimed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom()
                .iterable(claimed)
                .onItem()
                .transformToUni(mail -> deliverAndMark(mail, leaseEnds))
                .merge(config.concurrency())
                .collect()
                .last()
                .replaceWithVoid();
    }

    /**
     * Never fails: a failed send is recorded on the row, a failed record is left to the lease. A row whose lease has
     * less than a send timeout and the margin left, or that is still waiting when this instance stops, is not sent but
     * handed back, due at once: another processor may claim it while this one would still be sending it.
     */
    private Uni<Void> deliverAndMark(ClaimedNotification mail, long leaseEnds) {
        if (!waiting.remove(mail)) {
            return Uni.createFrom().voidItem(); // handed back by the shutdown
        }
        if (stopping || System.nanoTime() + config.sendTimeout().toNanos() + margin.toNanos() > leaseEnds) {
            return outbox.release(List.of(mail))
                    .invoke(metrics::released)
                    .onFailure()
                    .invoke(failure -> LOG.warnf(
                            "Could not hand back notification %d (%s); its lease will " + "make it due again",
                            mail.id(), failure.getMessage()))
                    .onFailure()
                    .recoverWithNull()
                    .replaceWithVoid();
        }
        inFlight.incrementAndGet();
        Uni<Void> send = deliver(mail).memoize().indefinitely();
        return send.ifNoItem()
                .after(config.sendTimeout())
                .failWith(() -> new TimeoutException("no answer from the server within " + config.sendTimeout()))
                .onFailure(TimeoutException.class)
                .recoverWithUni(timeout -> late(mail, send, leaseEnds, (TimeoutException) timeout))
                .onItemOrFailure()
                .transformToUni((ignored, failure) -> failure == null ? sent(mail, leaseEnds) : failed(mail, failure))
                .onFailure()
                .invoke(failure -> LOG.warnf(
                        "Could not record the outcome of notification %d (%s); its " + "lease will make it due again",
                        mail.id(), failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .eventually(this::sendEnded);
    }

    /**
     * A send with no answer within the send timeout goes on (giving up would not take back what the server already
     * has): a slow server may still accept it. It is waited for until the lease has no more than the margin left, and
     * only then counts as failed, so that the row is not sent again while this send could still be accepted. A server
     * that answers later than that is the honest window that remains. (A webhook request fails by itself at the send
     * timeout: its client closes the connection.)
     */
    private Uni<Void> late(ClaimedNotification mail, Uni<Void> send, long leaseEnds, TimeoutException timeout) {
        long left = leaseEnds - margin.toNanos() - System.nanoTime();
        if (left <= 0) {
            return Uni.createFrom().failure(timeout);
        }
        LOG.debugf(
                "Notification %d has no answer after %s; waiting for it until its lease ends",
                mail.id(), config.sendTimeout());
        Duration waited = config.sendTimeout().plus(Duration.ofNanos(left)).truncatedTo(ChronoUnit.MILLIS);
        return send.ifNoItem()
                .after(Duration.ofNanos(left))
                .failWith(() -> new TimeoutException("no answer from the server within " + waited));
    }

    /** Marks the row sent, retrying within the lease: after it, another processor may send the mail again. */
    private Uni<Void> sent(ClaimedNotification mail, long leaseEnds) {
        Duration leaseLeft = Duration.ofNanos(Math.max(1, leaseEnds - System.nanoTime()));
        return outbox.markSent(mail)
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .expireIn(leaseLeft.toMillis())
                .invoke(marked -> {
                    if (marked) {
                        metrics.sent(mail);
                    } else {
                        LOG.warnf(
                                "Notification %d was sent after its lease ended: another processor may send it too, "
                                        + "with the same id",
                                mail.id());
                    }
                })
                .replaceWithVoid();
    }

    /** Claimed rows whose send has not started: what a shutdown now would hand back. */
    int claimedNotStarted() {
        return waiting.size();
    }

    /**
     * Sends one claimed notification through its channel's sender; a sender that throws (while rendering, say) fails
     * this send only.
     */
    private Uni<Void> deliver(ClaimedNotification notification) {
        return Uni.createFrom()
                .deferred(() -> senders.of(notification.channel()).send(notification));
    }

    private void sendEnded() {
        synchronized (inFlight) {
            inFlight.decrementAndGet();
            inFlight.notifyAll();
        }
    }

    /** On SIGTERM, before anything else stops: claim nothing more. */
    void onShutdownBegins(@Observes ShutdownDelayInitiatedEvent event) {
        stopping = true;
    }

    /**
     * Once requests have ended: give the sends in flight up to {@code quarkus.shutdown.timeout} to finish, and hand back
     * every claimed row whose send has not started, due at once, so another instance sends it now rather than after the
     * lease. A row whose send is in flight is never handed back: it could be sent twice. Quarkus fires ShutdownEvent
     * on the main thread and stops only once its observers return, so this one waits there on purpose (never on an
     * event loop or a scheduler thread).
     */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        synchronized (inFlight) {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                try {
                    inFlight.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        List<ClaimedNotification> unsent = List.copyOf(waiting);
        waiting.removeAll(unsent);
        if (!unsent.isEmpty()) {
            int handedBack = outbox.release(unsent).await().atMost(Duration.ofSeconds(5));
            metrics.released(handedBack);
            LOG.infof(
                    "Shutting down: handed back %d claimed notifications for another instance; %d sends still in flight",
                    handedBack, inFlight.get());
        }
    }

    /**
     * Records a failed attempt: DEAD at once when the failure is permanent, else the next attempt after the pause the
     * receiver asked for (capped by the backoff's maximum) or the backoff.
     */
    private Uni<Void> failed(ClaimedNotification mail, Throwable failure) {
        DeliveryFailure delivery = failure instanceof DeliveryFailure known ? known : null;
        String error = truncate(
                delivery != null
                        ? delivery.getMessage()
                        : failure.getClass().getSimpleName() + ": " + failure.getMessage());
        Duration retryIn = delivery != null && delivery.retryAfterDelay() != null
                ? min(delivery.retryAfterDelay(), config.backoff().max())
                : backoff(mail.attempts());
        int maxAttempts = delivery != null && delivery.permanent() ? 0 : config.maxAttempts();
        return outbox.markFailed(mail, error, retryIn, maxAttempts)
                .invoke(status -> {
                    if (status == DeliveryStatus.DEAD) {
                        metrics.dead(mail);
                        LOG.errorf(
                                "Notification %d (%s by %s to %s) is DEAD after %d attempts: %s",
                                mail.id(),
                                mail.event(),
                                mail.channel(),
                                mail.displayDestination(),
                                mail.attempts(),
                                error);
                    } else if (status != null) {
                        metrics.retrying(mail);
                        LOG.warnf(
                                "Notification %d (%s) failed (attempt %d), retrying in %s: %s",
                                mail.id(), mail.channel(), mail.attempts(), retryIn, error);
                    }
                })
                .replaceWithVoid();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
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
        return outbox.backlog(clusters)
                .invoke(backlog -> metrics.backlog(
                        backlog.pending(),
                        backlog.oldest() == null
                                ? 0
                                : Math.max(
                                        0,
                                        Duration.between(backlog.oldest(), Instant.now())
                                                .toSeconds())))
                .replaceWithVoid();
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
    }
}
