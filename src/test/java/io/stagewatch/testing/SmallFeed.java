package io.stagewatch.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * A feed with small limits the feed tests reach: a buffer of 16 events per client (a client that stops reading
 * overflows it soon after the kernel's socket buffers are full) and at most {@link #MAX_CLIENTS} clients at once.
 */
public class SmallFeed implements QuarkusTestProfile {

    public static final int MAX_CLIENTS = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("stagewatch.feed.buffer", "16", "stagewatch.feed.max-clients", Integer.toString(MAX_CLIENTS));
    }
}
