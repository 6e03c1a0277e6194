package io.stagewatch.api;

import io.smallrye.mutiny.Uni;
import io.stagewatch.notification.DeliveryCounts;
import io.stagewatch.run.Platform;
import io.stagewatch.run.Run;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Stage;
import io.stagewatch.run.Text;
import io.stagewatch.store.OutboxRepository;
import io.stagewatch.store.RunCursor;
import io.stagewatch.store.RunFilter;
import io.stagewatch.store.RunRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** Read access to runs and their history. */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private final RunRepository runs;
    private final OutboxRepository outbox;

    public RunResource(RunRepository runs, OutboxRepository outbox) {
        this.runs = runs;
        this.outbox = outbox;
    }

    @RolesAllowed(ApiSecurity.VIEWER)
    @GET
    @Path("/{uid}")
    public Uni<RunJson> get(@PathParam("uid") String uid) {
        return runs.find(uid)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("No run with uid " + uid))
                .flatMap(run -> outbox.countsByRun(List.of(uid))
                        .map(counts -> RunJson.of(run, counts.getOrDefault(uid, DeliveryCounts.NONE))));
    }

    @RolesAllowed(ApiSecurity.VIEWER)
    @GET
    public Uni<RunPage> list(
            @QueryParam("stage") String stage,
            @QueryParam("status") String status,
            @QueryParam("pipeline") String pipeline,
            @QueryParam("namespace") String namespace,
            @QueryParam("workflow") String workflow,
            @QueryParam("platform") String platform,
            @QueryParam("cluster") String cluster,
            @QueryParam("limit") @DefaultValue("50") String limit,
            @QueryParam("cursor") String cursor) {
        Platform onPlatform = QueryParameters.enumValue(Platform.class, "platform", platform);
        RunFilter filter = new RunFilter(
                QueryParameters.enumValue(Stage.class, "stage", stage),
                QueryParameters.enumValue(RunStatus.class, "status", status),
                Text.blankToNull(pipeline),
                Text.blankToNull(namespace),
                Text.blankToNull(workflow),
                onPlatform == null ? null : onPlatform.id(),
                QueryParameters.cluster(cluster));
        int size = QueryParameters.limit(limit);
        RunCursor after = cursor(cursor);
        return runs.list(filter, after, size + 1)
                .flatMap(found -> outbox.countsByRun(
                                found.stream().limit(size).map(Run::uid).toList())
                        .map(counts -> page(found, size, counts)));
    }

    @RolesAllowed(ApiSecurity.VIEWER)
    @GET
    @Path("/{uid}/transitions")
    public Uni<List<TransitionJson>> transitions(@PathParam("uid") String uid) {
        return runs.transitions(uid)
                .flatMap(list -> list.isEmpty()
                        ? runs.find(uid)
                                .onItem()
                                .ifNull()
                                .failWith(() -> ProblemException.notFound("No run with uid " + uid))
                                .map(run -> List.<TransitionJson>of())
                        : Uni.createFrom()
                                .item(list.stream().map(TransitionJson::of).toList()));
    }

    private static RunPage page(List<Run> found, int size, Map<String, DeliveryCounts> counts) {
        boolean more = found.size() > size;
        List<Run> items = more ? found.subList(0, size) : found;
        String next = null;
        if (more) {
            Run last = items.get(items.size() - 1);
            next = new RunCursor(last.createdAt(), last.uid()).encode();
        }
        return new RunPage(
                items.stream()
                        .map(run -> RunJson.of(run, counts.getOrDefault(run.uid(), DeliveryCounts.NONE)))
                        .toList(),
                next);
    }

    static RunCursor cursor(String value) {
        if (Text.isBlank(value)) {
            return null;
        }
        try {
            return RunCursor.decode(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("cursor", "cursor must be a value returned as 'next' by this endpoint");
        }
    }
}
