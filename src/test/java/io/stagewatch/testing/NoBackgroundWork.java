package io.stagewatch.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The service's own background work that a test must not race is off: its outbox processor sends nothing (only the
 * test's own processor sees the rows), and its status-capture finalizer holds no pod and releases every pod held.
 */
public class NoBackgroundWork implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("stagewatch.outbox.enabled", "false", "stagewatch.finalizer.enabled", "false");
    }
}
