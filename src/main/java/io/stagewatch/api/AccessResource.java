package io.stagewatch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /api/access}: the caller's roles, and whether stagewatch runs insecure (anyone may change it), which the
 * status page shows as a banner.
 */
@Path("/api/access")
@Produces(MediaType.APPLICATION_JSON)
public class AccessResource {

    @RegisterForReflection
    public record AccessJson(List<String> roles, boolean insecure) {}

    private final CurrentIdentityAssociation identity;
    private final ApiSecurity security;

    public AccessResource(CurrentIdentityAssociation identity, ApiSecurity security) {
        this.identity = identity;
        this.security = security;
    }

    @RolesAllowed(ApiSecurity.VIEWER)
    @GET
    public Uni<AccessJson> get() {
        return identity.getDeferredIdentity()
                .map(caller ->
                        new AccessJson(caller.getRoles().stream().sorted().toList(), security.insecure()));
    }
}
