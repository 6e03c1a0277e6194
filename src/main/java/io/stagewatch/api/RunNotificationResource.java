package io.stagewatch.api;

import io.smallrye.mutiny.Uni;
import io.stagewatch.store.OutboxRepository;
import io.stagewatch.store.RunRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The notifications of one run. */
@Path("/api/runs/{uid}/notifications")
@Produces(MediaType.APPLICATION_JSON)
public class RunNotificationResource {

    private final OutboxRepository outbox;
    private final RunRepository runs;

    public RunNotificationResource(OutboxRepository outbox, RunRepository runs) {
        this.outbox = outbox;
        this.runs = runs;
    }

    @RolesAllowed(ApiSecurity.VIEWER)
    @GET
    public Uni<List<NotificationJson>> list(@PathParam("uid") String uid) {
        return runs.find(uid)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("No run with uid " + uid))
                .flatMap(run -> outbox.forRun(uid))
                .map(list -> list.stream().map(NotificationJson::of).toList());
    }
}
