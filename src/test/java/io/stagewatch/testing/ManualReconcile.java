package io.stagewatch.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * No reconcile pass and no watchdog round during a test (an hour apart): only the watch sees the pods, as after a
 * restart, runs written straight to the store or published straight to the bus, with no pod in the cluster, are never
 * judged vanished, and a test runs a pass itself when it wants one. The webhook and feed tests share it, so it also
 * lets webhooks reach this machine and times their sends out quickly, and gives the feed a buffer above the 1000
 * transitions the feed's resumption test publishes in bursts, and a quick heartbeat.
 */
public class ManualReconcile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "stagewatch.reconcile.interval", "1h",
                "stagewatch.reconcile.watchdog-interval", "1h",
                "stagewatch.notify.webhook.allowed-hosts", "127.0.0.1",
                "stagewatch.outbox.send-timeout", "2s",
                "stagewatch.outbox.lease", "20s",
                "stagewatch.outbox.max-attempts", "5",
                "stagewatch.ui.base-url", "https://stagewatch.example.org/",
                "stagewatch.feed.buffer", "2000",
                "stagewatch.feed.heartbeat", "1s");
    }
}
