package io.stagewatch.delivery;

import io.stagewatch.StagewatchConfig;
import io.stagewatch.notification.ClaimedNotification;
import io.stagewatch.run.Run;
import io.stagewatch.run.Transition;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The JSON body of a webhook notification, which its Slack message is made from too: the event, when the transition
 * that queued it was committed, the run as that transition left it, and a link to the run. It is made from stored data
 * only, so that every attempt sends the same bytes: the run's names and creation and start times from its row (none of
 * them changes once the transition is recorded), its status, cause, reason and message from the transition (the run's
 * may have moved on), its finish time only for a transition to a terminal status (a later one sets it). A row that an
 * earlier release queued carries the body it rendered then, and keeps it. Times are RFC 3339 in UTC, with the
 * microseconds the database keeps. The README documents the body.
 */
@ApplicationScoped
public class WebhookBody {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** The status page's base URL without trailing slashes, for the link; null when unset. */
    private final String base;

    @Inject
    public WebhookBody(StagewatchConfig config) {
        this(config.ui().baseUrl().orElse(null));
    }

    WebhookBody(String baseUrl) {
        this.base = baseUrl == null ? null : baseUrl.replaceAll("/+$", "");
    }

    public String of(ClaimedNotification notification) {
        if (notification.body() != null) {
            return notification.body();
        }
        Run run = notification.run();
        Transition transition = notification.transition();
        JsonObject state = new JsonObject()
                .put("uid", run.uid())
                .put("namespace", run.namespace())
                .put("pod", run.pod())
                // the names as the API shows them: each component of RunNames, in its order
                .mergeIn(JsonObject.mapFrom(run.names()))
                .put("stage", run.stage().name())
                .put("platform", run.platform())
                .put("status", transition.to().name())
                .put(
                        "cause",
                        transition.cause() == null ? null : transition.cause().name())
                .put(
                        "reason",
                        transition.reason() == null ? null : transition.reason().name())
                .put("message", transition.message())
                .put("createdAt", time(run.createdAt()))
                .put("startedAt", time(run.startedAt()))
                .put("finishedAt", transition.to().isTerminal() ? time(run.finishedAt()) : null);
        return new JsonObject()
                .put("event", notification.event().name())
                .put("at", time(transition.at()))
                .put("run", state)
                .put("link", base == null ? null : base + "/runs/" + run.uid())
                .encode();
    }

    private static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }
}
