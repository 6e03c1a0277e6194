package io.stagewatch.pipeline;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import io.stagewatch.testing.TcpProxy;
import io.stagewatch.testing.TestDatabase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PostgreSQL goes away for a while: the service stays up, says it is not ready, and catches up when it returns. */
@QuarkusTest
@MockCluster
@TestProfile(DatabaseOutageTest.ThroughProxy.class)
class DatabaseOutageTest {

    /** The management interface's root, /q/ (quarkus.management.*): health, metrics and OpenAPI are served there only. */
    @TestHTTPResource(management = true)
    String management;

    static final TcpProxy PROXY = new TcpProxy(5432);

    public static class ThroughProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.datasource.reactive.url",
                    "postgresql://127.0.0.1:" + PROXY.port() + "/" + TestDatabase.NAME,
                    "stagewatch.pipeline.max-retry-backoff",
                    "1s");
        }
    }

    @Inject
    KubernetesClient client;

    @Test
    void everyRunEndsRightAfterTheDatabaseReturns() {
        Cluster cluster = new Cluster(client);
        Pod finishing = cluster.create(
                Pods.workflow("ci", Pods.name("finishing"), "ci").running().build());
        Pod deleted = cluster.create(
                Pods.workflow("ci", Pods.name("deleted"), "post-cd").running().build());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            runIs(finishing, "RUNNING", null);
            runIs(deleted, "RUNNING", null);
        });
        given().get(management + "health/ready").then().statusCode(200);

        PROXY.cut();
        cluster.update(finishing, p -> p.failed(1));
        cluster.forceDelete(deleted);
        Pod started = cluster.create(
                Pods.workflow("ci", Pods.name("started"), "pre-cd").succeeded().build());
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> given().get(management + "health/ready").then().statusCode(503));
        await().pollDelay(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> given().get(management + "health/live").then().statusCode(200));

        PROXY.restore();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            runIs(finishing, "FAILED", "EXIT_CODE");
            runIs(deleted, "FAILED", "POD_DELETED");
            runIs(started, "SUCCEEDED", null);
        });
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> given().get(management + "health/ready").then().statusCode(200));
    }

    private static void runIs(Pod pod, String status, String reason) {
        given().get("/api/runs/{uid}", pod.getMetadata().getUid())
                .then()
                .statusCode(200)
                .body("status", equalTo(status))
                .body("reason", equalTo(reason));
    }
}
