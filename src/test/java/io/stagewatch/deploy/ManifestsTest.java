package io.stagewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.utils.Serialization;

/** Every manifest parses as the Kubernetes object it claims to be, and RBAC grants exactly what the code calls. */
class ManifestsTest {

    private static final Path K8S = Path.of("k8s");

    @Test
    void everyManifestParsesAsAKubernetesObject() throws IOException {
        List<HasMetadata> objects = manifests();
        assertFalse(objects.isEmpty());
        objects.forEach(o -> assertFalse(o.getMetadata().getName().isBlank(), o.getKind() + " has a name"));
    }

    @Test
    void clusterRoleGrantsOnlyListAndWatchOnPods() throws IOException {
        ClusterRole role = (ClusterRole) manifests().stream().filter(ClusterRole.class::isInstance).findFirst().orElseThrow();
        assertEquals(1, role.getRules().size());
        var rule = role.getRules().get(0);
        assertEquals(List.of("pods"), rule.getResources());
        // the informer lists and watches; the reconcile loop lists
        assertEquals(Set.of("list", "watch"), Set.copyOf(rule.getVerbs()));
    }

    @Test
    void deploymentProbesTheHealthEndpoints() throws IOException {
        Deployment deployment = assertInstanceOf(Deployment.class,
                manifests().stream().filter(Deployment.class::isInstance).findFirst().orElseThrow());
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/started", container.getStartupProbe().getHttpGet().getPath());
    }

    private static List<HasMetadata> manifests() throws IOException {
        try (Stream<Path> files = Files.list(K8S)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(ManifestsTest::parse).toList();
        }
    }

    private static HasMetadata parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Serialization.unmarshal(in);
        } catch (IOException e) {
            throw new IllegalStateException(file + " does not parse", e);
        }
    }
}
