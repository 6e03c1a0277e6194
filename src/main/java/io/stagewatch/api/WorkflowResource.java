package io.stagewatch.api;

import io.smallrye.mutiny.Uni;
import io.stagewatch.run.Platform;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Text;
import io.stagewatch.store.RunCursor;
import io.stagewatch.store.WorkflowFilter;
import io.stagewatch.store.WorkflowRepository;
import io.stagewatch.workflow.Workflow;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Read access to workflows, with their verdicts and runs. */
@Path("/api/workflows")
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowResource {

    private final WorkflowRepository workflows;

    public WorkflowResource(WorkflowRepository workflows) {
        this.workflows = workflows;
    }

    @RolesAllowed(ApiSecurity.VIEWER)
    @GET
    @Path("/{uid}")
    public Uni<WorkflowJson> get(@PathParam("uid") String uid) {
        return workflows
                .find(uid)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("No workflow with uid " + uid))
                .flatMap(found -> workflows.runs(uid).map(runs -> WorkflowJson.of(found.workflow(), runs)));
    }

    @RolesAllowed(ApiSecurity.VIEWER)
    @GET
    public Uni<WorkflowPage> list(
            @QueryParam("platform") String platform,
            @QueryParam("status") String status,
            @QueryParam("pipeline") String pipeline,
            @QueryParam("namespace") String namespace,
            @QueryParam("contradiction") String contradiction,
            @QueryParam("cluster") String cluster,
            @QueryParam("limit") @DefaultValue("50") String limit,
            @QueryParam("cursor") String cursor) {
        Platform onPlatform = QueryParameters.enumValue(Platform.class, "platform", platform);
        WorkflowFilter filter = new WorkflowFilter(
                onPlatform == null ? null : onPlatform.id(),
                QueryParameters.enumValue(RunStatus.class, "status", status),
                Text.blankToNull(pipeline),
                Text.blankToNull(namespace),
                bool("contradiction", contradiction),
                QueryParameters.cluster(cluster));
        int size = QueryParameters.limit(limit);
        return workflows.list(filter, RunResource.cursor(cursor), size + 1).map(found -> page(found, size));
    }

    private static WorkflowPage page(List<Workflow> found, int size) {
        boolean more = found.size() > size;
        List<Workflow> items = more ? found.subList(0, size) : found;
        String next = null;
        if (more) {
            Workflow last = items.get(items.size() - 1);
            next = new RunCursor(last.createdAt(), last.uid()).encode();
        }
        return new WorkflowPage(
                items.stream().map(workflow -> WorkflowJson.of(workflow, null)).toList(), next);
    }

    private static Boolean bool(String parameter, String value) {
        if (Text.isBlank(value)) {
            return null;
        }
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.badRequest(parameter, parameter + " must be true or false");
        };
    }
}
