package io.stagewatch.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The secure defaults with a viewer token and an admin token configured, and a low cap of feeds per token: the tests of
 * authentication share it.
 */
public class WithTokens implements QuarkusTestProfile {

    public static final String VIEWER = "viewer-token-0123456789abcdef0123456789";
    public static final String ADMIN = "admin-token-fedcba9876543210fedcba98765";
    public static final int FEEDS_PER_TOKEN = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "stagewatch.api.tokens",
                "viewer:" + VIEWER + ",admin:" + ADMIN,
                "stagewatch.api.insecure",
                "false",
                // low enough to reach in a test; each of the other tests here holds one feed at a time
                "stagewatch.feed.max-clients-per-token",
                String.valueOf(FEEDS_PER_TOKEN));
    }
}
