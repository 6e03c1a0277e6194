package io.stagewatch.api;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** Turns a token of {@code stagewatch.api.tokens} into an identity with its roles; an unknown token fails. */
@ApplicationScoped
public class StaticTokenProvider implements IdentityProvider<StaticTokenRequest> {

    private final ApiSecurity security;

    public StaticTokenProvider(ApiSecurity security) {
        this.security = security;
    }

    @Override
    public Class<StaticTokenRequest> getRequestType() {
        return StaticTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(StaticTokenRequest request, AuthenticationRequestContext context) {
        Set<String> roles = security.rolesOf(request.token());
        if (roles.isEmpty()) {
            return Uni.createFrom().failure(BearerTokenMechanism.rejected("The bearer token is not valid."));
        }
        // the principal names the role, never the token
        String name = roles.contains(ApiSecurity.ADMIN) ? ApiSecurity.ADMIN : ApiSecurity.VIEWER;
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal("token:" + name))
                        .addAttribute(ApiSecurity.CREDENTIAL, ApiSecurity.tokenCredential(request.token()))
                        .addRoles(roles)
                        .build());
    }
}
