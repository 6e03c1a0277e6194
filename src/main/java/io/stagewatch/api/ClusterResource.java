package io.stagewatch.api;

import io.smallrye.mutiny.Uni;
import io.stagewatch.store.ClusterBindingRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /api/clusters}: the names of the clusters instances have watched on this database, alphabetically; the
 * status page shows a cluster column and filter when there is more than one.
 */
@Path("/api/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    private final ClusterBindingRepository bindings;

    public ClusterResource(ClusterBindingRepository bindings) {
        this.bindings = bindings;
    }

    @RolesAllowed(ApiSecurity.VIEWER)
    @GET
    public Uni<List<String>> list() {
        return bindings.names();
    }
}
