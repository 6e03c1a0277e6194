package io.stagewatch.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The service watches the namespaces ci and deploy only: NamespacedRightsTest checks that it calls the API server in
 * no other, ConcurrentPipelinesTest plays pods in a namespace the service never judges.
 */
public class TwoNamespaces implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("stagewatch.namespaces", "ci,deploy");
    }
}
