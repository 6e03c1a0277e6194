package io.stagewatch.store;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The database's NOTIFY channels, heard on one LISTEN connection of its own that reconnects forever. A notification
 * is a wake-up hint sent at commit, never the only path: its listeners also poll.
 */
@ApplicationScoped
public class DatabaseEvents {

    // the channels RunRepository's transition statements NOTIFY, by these names
    private static final String OUTBOX = "stagewatch_outbox";
    private static final String TRANSITIONS = "stagewatch_transitions";
    private static final String RISKS = "stagewatch_risks";

    private static final Logger LOG = Logger.getLogger(DatabaseEvents.class);
    private static final long RECONNECT_DELAY_MILLIS = 1000;

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final BroadcastProcessor<String> outbox = BroadcastProcessor.create();
    private final BroadcastProcessor<String> transitions = BroadcastProcessor.create();
    private final BroadcastProcessor<String> risks = BroadcastProcessor.create();
    private PgSubscriber subscriber;

    public DatabaseEvents(
            Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
            @ConfigProperty(name = "quarkus.datasource.reactive.postgresql.ssl-mode") Optional<String> sslMode,
            @ConfigProperty(name = "quarkus.datasource.reactive.trust-all", defaultValue = "false") boolean trustAll,
            @ConfigProperty(name = "quarkus.datasource.reactive.trust-certificate-pem.certs")
                    Optional<List<String>> trustedCertificates,
            @ConfigProperty(name = "quarkus.datasource.reactive.hostname-verification-algorithm")
                    Optional<String> hostnameVerification) {
        this.vertx = vertx;
        this.options = PgConnectOptions.fromUri(url).setUser(user);
        password.ifPresent(options::setPassword);
        tls(options, sslMode, trustAll, trustedCertificates, hostnameVerification);
    }

    /**
     * The TLS settings of the reactive datasource, which its pool gets from Quarkus, given to the LISTEN connection
     * too: it connects on its own, and a server that refuses unencrypted connections would otherwise refuse it.
     */
    static PgConnectOptions tls(
            PgConnectOptions options,
            Optional<String> sslMode,
            boolean trustAll,
            Optional<List<String>> trustedCertificates,
            Optional<String> hostnameVerification) {
        sslMode.ifPresent(mode -> options.setSslMode(SslMode.of(mode)));
        options.setTrustAll(trustAll);
        trustedCertificates.ifPresent(certificates -> {
            PemTrustOptions trust = new PemTrustOptions();
            certificates.forEach(trust::addCertPath);
            options.setPemTrustOptions(trust);
        });
        hostnameVerification
                .filter(algorithm -> !algorithm.equalsIgnoreCase("NONE"))
                .ifPresent(options::setHostnameVerificationAlgorithm);
        return options;
    }

    /** Ticks when rows were queued in the outbox. */
    public Multi<String> outbox() {
        listen();
        return outbox;
    }

    /** Ticks when transitions were committed. */
    public Multi<String> transitions() {
        listen();
        return transitions;
    }

    /** The payload of each change of a run at risk ({@link RunRepository#riskChanges()}). */
    Multi<String> risks() {
        listen();
        return risks;
    }

    private synchronized void listen() {
        if (subscriber != null) {
            return;
        }
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> RECONNECT_DELAY_MILLIS);
        subscriber.channel(OUTBOX).handler(outbox::onNext);
        subscriber.channel(TRANSITIONS).handler(transitions::onNext);
        subscriber.channel(RISKS).handler(risks::onNext);
        connect();
    }

    /** The reconnect policy covers lost connections; a first connection that fails is tried again here. */
    private void connect() {
        subscriber
                .connect()
                .subscribe()
                .with(connected -> LOG.debug("Listening for database notifications"), failure -> {
                    LOG.warnf(
                            "Could not LISTEN for database notifications (%s); polling meanwhile",
                            failure.getMessage());
                    vertx.setTimer(RECONNECT_DELAY_MILLIS, id -> connect());
                });
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.closeAndAwait();
        }
    }
}
