package io.stagewatch.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import io.stagewatch.testing.Runs;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A cluster name is bound to the first cluster identity that claims it: the same cluster (a replica, a restart) starts
 * again, another one is refused with one line; a cluster whose identity cannot be read is let in, unchecked.
 */
@QuarkusTest
@MockCluster
class ClusterBindingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    ClusterBinding binding;

    @Inject
    KubernetesClient client;

    @Test
    void aNameBoundToOneClusterRefusesAnother() {
        String name = Pods.name("north");
        binding.bind(name, "uid-1").await().atMost(WAIT);
        binding.bind(name, "uid-1").await().atMost(WAIT); // a replica, or a restart

        var refused = assertThrows(
                ClusterBinding.NameTaken.class,
                () -> binding.bind(name, "uid-2").await().atMost(WAIT));
        assertEquals(
                "stagewatch.cluster.name '" + name + "' is bound to another cluster in this database (kube-system"
                        + " namespace UID uid-1, this cluster's is uid-2): give this cluster a name of its own",
                refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), "one line");
    }

    @Test
    void aNameFirstRecordedWithoutAnIdentityIsBoundByTheFirstInstanceThatReadsOne() {
        String name = Pods.name("south");
        binding.bind(name, null).await().atMost(WAIT);
        binding.bind(name, "uid-3").await().atMost(WAIT);
        binding.bind(name, null).await().atMost(WAIT); // unchecked, but let in

        assertThrows(
                ClusterBinding.NameTaken.class,
                () -> binding.bind(name, "uid-4").await().atMost(WAIT));
    }

    @Test
    void theIdentityIsTheUidOfTheKubeSystemNamespace() {
        // the mock API server has no kube-system namespace until a test makes one: the test application started
        // unchecked
        assertNull(binding.identity());
        var created = client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("kube-system")
                        .withUid("kube-system-uid")
                        .endMetadata()
                        .build())
                .create();
        try {
            assertEquals(created.getMetadata().getUid(), binding.identity());
            binding.bind(Runs.CLUSTER, binding.identity()).await().atMost(WAIT);
        } finally {
            client.namespaces().withName("kube-system").delete();
        }
    }
}
