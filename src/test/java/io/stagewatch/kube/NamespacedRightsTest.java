package io.stagewatch.kube;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.TwoNamespaces;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With stagewatch.namespaces set, every call to the API server names one of those namespaces: the informers, the
 * reconcile LIST and the finalizer's sweep of held pods alike, so that the namespaced Roles of k8s/rbac/namespace/ are all
 * the rights stagewatch needs.
 */
@QuarkusTest
@MockCluster
@TestProfile(TwoNamespaces.class)
class NamespacedRightsTest {

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    MeterRegistry registry;

    @Test
    void everyApiCallStaysInsideTheWatchedNamespaces() throws InterruptedException {
        double passes = passes();
        await().atMost(Duration.ofSeconds(30)).until(() -> passes() >= passes + 2);
        List<String> paths = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.getKubernetesMockServer().takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
            paths.add(request.getMethod() + " " + request.getPath());
        }
        assertTrue(paths.stream().anyMatch(path -> path.contains("stagewatch.io%2Fheld")), "the sweep ran: " + paths);
        assertTrue(paths.stream().anyMatch(path -> path.contains("watch=true")), "the informers watch: " + paths);
        for (String path : paths) {
            // beside the pods of ci and deploy, only what rbac/common grants: the kube-system namespace (the cluster's
            // identity) and the Nodes, cluster-scoped
            assertTrue(
                    path.matches("\\w+ /api/v1/namespaces/(ci|deploy)/pods.*")
                            || path.equals("GET /api/v1/namespaces/kube-system")
                            || path.matches("GET /api/v1/nodes.*"),
                    "a call outside ci and deploy: " + path);
        }
    }

    private double passes() {
        var timer = registry.find("stagewatch.reconcile.duration").timer();
        return timer == null ? 0 : timer.count();
    }
}
