package io.stagewatch.api;

import io.smallrye.mutiny.Uni;
import io.stagewatch.notification.DeliveryCounts;
import io.stagewatch.notification.DeliveryStatus;
import io.stagewatch.notification.Notification;
import io.stagewatch.run.Text;
import io.stagewatch.store.OutboxRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Notifications across runs, and the operator's retry of dead ones. */
@Path("/api/notifications")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {

    /** Runs per counts request: their uids fit in a request line (Vert.x allows 4096 characters). */
    static final int MAX_COUNTED_RUNS = 50;

    private final OutboxRepository outbox;

    public NotificationResource(OutboxRepository outbox) {
        this.outbox = outbox;
    }

    @RolesAllowed(ApiSecurity.VIEWER)
    @GET
    public Uni<NotificationPage> list(
            @QueryParam("status") String status,
            @QueryParam("limit") @DefaultValue("50") String limit,
            @QueryParam("cursor") String cursor) {
        DeliveryStatus filter = QueryParameters.enumValue(DeliveryStatus.class, "status", status);
        int size = QueryParameters.limit(limit);
        long after = cursor(cursor);
        return outbox.list(filter, after, size + 1).map(found -> {
            boolean more = found.size() > size;
            List<Notification> items = more ? found.subList(0, size) : found;
            String next = more ? Long.toString(items.get(items.size() - 1).id()) : null;
            return new NotificationPage(items.stream().map(NotificationJson::of).toList(), next);
        });
    }

    /**
     * {@code GET /api/notifications/counts?run=<uid>&run=<uid>}: the notification counts of several runs, as
     * {@code /api/runs} gives them, in one request; a client refreshes the runs it shows with it, not run by run.
     */
    @RolesAllowed(ApiSecurity.VIEWER)
    @GET
    @Path("/counts")
    public Uni<Map<String, NotificationCountsJson>> counts(@QueryParam("run") List<String> uids) {
        List<String> wanted =
                uids.stream().filter(uid -> !uid.isBlank()).distinct().toList();
        if (wanted.isEmpty() || wanted.size() > MAX_COUNTED_RUNS) {
            throw ProblemException.badRequest(
                    "run", "give from 1 to " + MAX_COUNTED_RUNS + " run uids, not " + wanted.size());
        }
        return outbox.countsByRun(wanted).map(found -> {
            Map<String, NotificationCountsJson> counts = new LinkedHashMap<>();
            wanted.forEach(
                    uid -> counts.put(uid, NotificationCountsJson.of(found.getOrDefault(uid, DeliveryCounts.NONE))));
            return counts;
        });
    }

    @RolesAllowed(ApiSecurity.ADMIN)
    @POST
    @Path("/{id}/retry")
    public Uni<NotificationJson> retry(@PathParam("id") long id) {
        return outbox.retry(id)
                .flatMap(retried -> retried != null
                        ? Uni.createFrom().item(retried)
                        : outbox.find(id).map(existing -> {
                            if (existing == null) {
                                throw ProblemException.notFound("No notification with id " + id);
                            }
                            throw new ProblemException(
                                    409,
                                    "not-dead",
                                    "Notification is not dead",
                                    "Only a DEAD notification can be retried; this one is " + existing.status());
                        }))
                .map(NotificationJson::of);
    }

    private static long cursor(String value) {
        if (Text.isBlank(value)) {
            return 0;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("cursor", "cursor must be a value returned as 'next' by this endpoint");
        }
    }
}
