package io.stagewatch.api;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token presented to stagewatch, to be checked against {@code stagewatch.api.tokens}. */
public final class StaticTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    public StaticTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
