package io.stagewatch.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The secure defaults with a viewer token and an admin token configured: the tests of authentication share it. */
public class WithTokens implements QuarkusTestProfile {

    public static final String VIEWER = "viewer-token-0123456789abcdef0123456789";
    public static final String ADMIN = "admin-token-fedcba9876543210fedcba98765";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "stagewatch.api.tokens", "viewer:" + VIEWER + ",admin:" + ADMIN, "stagewatch.api.insecure", "false");
    }
}
