package io.stagewatch.testing;

import io.quarkus.test.junit.callback.QuarkusTestBeforeClassCallback;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * Before each {@code @QuarkusTest} class, Awaitility checks a condition at once and then every 50 ms, instead of first
 * after 100 ms and then every 100 ms: a suite awaits end states over a thousand times, and most hold within a poll or
 * two. A test that must let time pass before it looks says so with its own {@code pollDelay} or {@code during}.
 * Registered in {@code META-INF/services}.
 */
public class QuickPolls implements QuarkusTestBeforeClassCallback {

    @Override
    public void beforeClass(Class<?> testClass) {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(50));
    }
}
