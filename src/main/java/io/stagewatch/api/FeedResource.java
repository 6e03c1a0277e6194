package io.stagewatch.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.smallrye.mutiny.subscription.Cancellable;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.pipeline.FeedBroadcaster;
import io.stagewatch.run.FeedEpochs;
import io.stagewatch.run.FeedEvent;
import io.stagewatch.run.FeedItem;
import io.stagewatch.run.FeedPosition;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Stage;
import io.stagewatch.run.Text;
import io.stagewatch.store.FeedFilter;
import io.stagewatch.store.FeedReader;
import io.stagewatch.store.RunRepository;
import io.stagewatch.workflow.WorkflowFeedEvent;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /api/feed}: one server-sent event per committed transition ({@code id:} its feed position). A client
 * that reconnects with {@code Last-Event-ID} (or {@code ?after=}) first gets every transition after that id from the
 * database, then the live ones, with no gap and no duplicate at the seam. When the database cannot place the id (it
 * was restored from a dump made before it, {@link FeedEpochs}), the client gets a {@code reset} event first, then
 * every transition after the reset's id. A workflow's transitions (issue 24) come in the same order and with the same
 * ids, as events named {@code workflow}. Between them, a {@code risk} event without an id whenever an unfinished run
 * becomes at risk or no longer is (issue 25): not a transition, never replayed.
 */
@Path("/api/feed")
@Startup // its gauge of clients exists from the start, not from the first client
public class FeedResource {

    private static final int PAGE = 500;
    private static final int RETRY_AFTER_SECONDS = 5;
    private static final long STARTUP_WAIT_MILLIS = 30_000;

    private final FeedBroadcaster broadcaster;
    private final RunRepository runs;
    private final FeedReader feed;
    private final ObjectMapper json;
    private final StagewatchConfig.Feed config;
    private final ApiMetrics metrics;
    private final FeedSlots slots;
    private final SecurityIdentity identity;
    private final Set<UnicastProcessor<OutboundSseEvent>> ending = ConcurrentHashMap.newKeySet();

    public FeedResource(
            FeedBroadcaster broadcaster,
            RunRepository runs,
            FeedReader feed,
            ObjectMapper json,
            StagewatchConfig config,
            ApiMetrics metrics,
            SecurityIdentity identity) {
        this.broadcaster = broadcaster;
        this.runs = runs;
        this.feed = feed;
        this.json = json;
        this.config = config.feed();
        this.metrics = metrics;
        this.identity = identity;
        this.slots = new FeedSlots(this.config.maxClients(), this.config.maxClientsPerToken());
        metrics.feedClients(slots::clients);
    }

    @RolesAllowed(ApiSecurity.VIEWER)
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> feed(
            @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("after") String after,
            @QueryParam("stage") String stage,
            @QueryParam("pipeline") String pipeline,
            @QueryParam("namespace") String namespace,
            @QueryParam("status") String status,
            @QueryParam("cluster") String cluster,
            @Context Sse sse) {
        FeedFilter filter = new FeedFilter(
                QueryParameters.enumValue(Stage.class, "stage", stage),
                Text.blankToNull(pipeline),
                Text.blankToNull(namespace),
                QueryParameters.enumValue(RunStatus.class, "status", status),
                QueryParameters.cluster(cluster));
        String resumeFrom = !Text.isBlank(lastEventId) ? lastEventId : after;
        String resumeParameter = !Text.isBlank(lastEventId) ? "Last-Event-ID" : "after";
        String credential = ApiSecurity.credential(identity);
        String refused = slots.take(credential);
        if (refused != null) {
            throw new ProblemException(503, "too-many-feed-clients", "Too many feed clients", refused)
                    .retryAfter(RETRY_AFTER_SECONDS);
        }
        // a client that falls behind is cut at once: its buffer's overflow fails this stream, which fails the
        // response whether or not the client is asking for more; at shutdown every stream ends cleanly
        UnicastProcessor<OutboundSseEvent> cut = UnicastProcessor.create();
        ending.add(cut);
        Runnable overflow = () -> {
            metrics.feedClientCutOff();
            cut.onError(new BackPressureFailure("the client fell more than " + config.buffer() + " events behind"));
        };
        Multi<OutboundSseEvent> transitions = resumePosition(resumeParameter, resumeFrom)
                .onItem()
                .transformToMulti(resume -> {
                    Multi<OutboundSseEvent> events = events(resume.after(), filter, overflow)
                            .map(event -> sse.newEventBuilder()
                                    .id(broadcaster.epochs().encode(event.position()))
                                    .name(event instanceof WorkflowFeedEvent ? "workflow" : "transition")
                                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                                    .data(String.class, write(data(event)))
                                    .build());
                    return resume.reset()
                            ? Multi.createBy().concatenating().streams(reset(sse, resume.after()), events)
                            : events;
                });
        Multi<OutboundSseEvent> risks = runs.riskChanges()
                .onOverflow()
                .drop()
                .select()
                .where(filter::test)
                .map(change -> sse.newEventBuilder()
                        .name("risk")
                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(String.class, write(RiskJson.of(change)))
                        .build());
        Multi<OutboundSseEvent> heartbeats = Multi.createFrom()
                .ticks()
                .every(config.heartbeat())
                .map(tick -> sse.newEventBuilder().comment("heartbeat").build());
        return Multi.createBy()
                .merging()
                .streams(transitions, risks, heartbeats, cut)
                .onFailure(ShuttingDown.class)
                .recoverWithCompletion()
                .onTermination()
                .invoke(() -> {
                    ending.remove(cut);
                    slots.release(credential);
                });
    }

    /** When shutdown begins: every feed ends, and its client reconnects (with Last-Event-ID) to another replica. */
    void onShutdown(@Observes ShutdownDelayInitiatedEvent event) {
        ending.forEach(cut -> cut.onError(new ShuttingDown()));
    }

    /** Feed clients connected to this instance. */
    public int clients() {
        return slots.clients();
    }

    /** Ends a feed without an error. */
    private static final class ShuttingDown extends RuntimeException {
        ShuttingDown() {
            super("shutting down", null, false, false);
        }
    }

    /**
     * Subscribes to the live transitions first, then reads the position the broadcaster had reached: everything up to
     * it comes from the database, everything after it from the live subscription. The broadcaster advances its
     * position before it publishes, so no transition falls between the two.
     */
    private Multi<FeedItem> events(FeedPosition resumeAfter, FeedFilter filter, Runnable onOverflow) {
        return started()
                .onItem()
                .transformToMulti(ignored -> Multi.createFrom().deferred(() -> {
                    UnicastProcessor<FeedItem> queue =
                            UnicastProcessor.create(new BoundedQueue<>(config.buffer(), onOverflow), null);
                    // the queue does not cancel what it is fed from when its client goes away: this subscription is
                    // cancelled
                    // by hand, or every closed feed would stay subscribed to the broadcaster, with its buffer, forever.
                    // It is
                    // made only once the feed is subscribed (deferred), and cancelled when the feed ends, however it
                    // ends: a
                    // client gone during the backlog never subscribes to the queue, and its end would not reach it.
                    Cancellable upstream =
                            broadcaster.live().subscribe().with(queue::onNext, queue::onError, queue::onComplete);
                    FeedPosition position = broadcaster.position();
                    Multi<FeedItem> live =
                            queue.select().where(event -> event.position().isAfter(position) && filter.test(event));
                    Multi<FeedItem> feed;
                    if (resumeAfter == null || !position.isAfter(resumeAfter)) {
                        FeedPosition from = resumeAfter == null ? position : resumeAfter;
                        feed = live.select().where(event -> event.position().isAfter(from));
                    } else {
                        feed = Multi.createBy().concatenating().streams(backlog(resumeAfter, position, filter), live);
                    }
                    return feed.onTermination().invoke(upstream::cancel);
                }));
    }

    /**
     * Completes once the broadcaster knows its place: before, a resuming client could not tell which transitions come
     * from the database and which live (just after a start, the broadcaster's first read is under way).
     */
    private Uni<FeedPosition> started() {
        return Uni.createFrom()
                .deferred(() -> broadcaster.position() != null
                        ? Uni.createFrom().item(broadcaster.position())
                        : Uni.createFrom()
                                .<FeedPosition>failure(new IllegalStateException("the feed has not started yet")))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(20), Duration.ofMillis(500))
                .expireIn(STARTUP_WAIT_MILLIS);
    }

    /**
     * Where a client resumes: after nothing (a new client), after the position it holds, or, when the order after it
     * cannot be known in this database (a restore, {@link FeedEpochs#resume}), after the feed's present place, with
     * a reset first.
     */
    private record Resume(FeedPosition after, boolean reset) {}

    /**
     * Where a resuming client left off: an opaque position, or, once, the numeric transition id of an earlier release
     * (resumed from that transition's place).
     */
    private Uni<Resume> resumePosition(String parameter, String value) {
        if (Text.isBlank(value)) {
            return Uni.createFrom().item(new Resume(null, false));
        }
        String text = value.trim();
        if (text.indexOf('-') < 0) {
            long id = id(parameter, text);
            return runs.feedPositionOf(id)
                    .map(found -> new Resume(found != null ? found : new FeedPosition(0, id), false));
        }
        try {
            FeedEpochs.FIRST.resume(text); // refuses what is not a position before the stream begins
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(
                    parameter, parameter + " must be the id of a feed event, not '" + value + "'");
        }
        return started()
                .map(ignored -> broadcaster
                        .epochs()
                        .resume(text)
                        .map(position -> new Resume(position, false))
                        .orElseGet(() -> new Resume(broadcaster.position(), true)));
    }

    /**
     * Tells a client that the transitions after its position cannot be given in order here (the database was restored
     * from a dump without them, or from before them): it reloads what it shows, and resumes from this event's id.
     */
    private Multi<OutboundSseEvent> reset(Sse sse, FeedPosition from) {
        return Multi.createFrom()
                .item(sse.newEventBuilder()
                        .id(broadcaster.epochs().encode(from))
                        .name("reset")
                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(String.class, "{\"reason\":\"the feed cannot resume from the position given: reload\"}")
                        .build());
    }

    /** A client's buffer: refuses what does not fit, and says so once. */
    private static final class BoundedQueue<T> extends ArrayBlockingQueue<T> {

        private final transient Runnable onOverflow;
        private boolean overflowed;

        BoundedQueue(int capacity, Runnable onOverflow) {
            super(capacity);
            this.onOverflow = onOverflow;
        }

        @Override
        public boolean offer(T item) {
            if (super.offer(item)) {
                return true;
            }
            if (!overflowed) {
                overflowed = true;
                onOverflow.run();
            }
            return false;
        }
    }

    private Multi<FeedItem> backlog(FeedPosition after, FeedPosition upTo, FeedFilter filter) {
        return Multi.createBy()
                .repeating()
                .uni(
                        () -> new FeedPosition[] {after},
                        cursor -> feed.feed(cursor[0], upTo, filter, PAGE).invoke(page -> {
                            if (!page.isEmpty()) {
                                cursor[0] = page.get(page.size() - 1).position();
                            }
                        }))
                .whilst(page -> page.size() == PAGE)
                .onItem()
                .disjoint();
    }

    /** The data of a feed event: a run's transition, or a workflow's. */
    private static Object data(FeedItem event) {
        return event instanceof WorkflowFeedEvent workflow
                ? WorkflowEventJson.of(workflow)
                : FeedEventJson.of((FeedEvent) event);
    }

    private String write(Object event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long id(String parameter, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(
                    parameter, parameter + " must be the id of a feed event, not '" + value + "'");
        }
    }
}
