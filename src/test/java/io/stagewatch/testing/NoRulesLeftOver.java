package io.stagewatch.testing;

import io.quarkus.arc.Arc;
import io.quarkus.test.junit.callback.QuarkusTestBeforeClassCallback;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;

/**
 * Before each {@code @QuarkusTest} class, the notification rules earlier classes created in the shared application
 * ({@link MockCluster}) are deleted: a rule matches every later run of its pipelines and stages, so a class's mails,
 * webhooks and outbox rows would otherwise depend on the classes before it. Runs and pods stay: a test tells its own
 * apart by their names. Registered in {@code META-INF/services}.
 */
public class NoRulesLeftOver implements QuarkusTestBeforeClassCallback {

    @Override
    public void beforeClass(Class<?> testClass) {
        Arc.container()
                .instance(Pool.class)
                .get()
                .query("DELETE FROM notification_rules")
                .execute()
                .await()
                .atMost(Duration.ofSeconds(30));
    }
}
