package io.stagewatch.kube;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.stagewatch.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The command release-finalizers against the mock API server: every held pod, of every platform (the fixtures of
 * Devtron, Argo Workflows, Tekton, Jobs and stagewatch's own labels), loses stagewatch's finalizer and its held label,
 * other controllers' finalizers stay, pods it does not hold are not touched, and the hook's wait for the instances
 * holds the release back until they are gone.
 */
class ReleaseFinalizersTest {

    private static final String OTHER_FINALIZER = "example.org/keep";

    private KubernetesMockServer server;
    private KubernetesClient client;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void releasesEveryHeldPodOfEveryPlatformAndTouchesNoOther() throws InterruptedException {
        List<Pod> held = new ArrayList<>();
        List<Fixtures.Fixture> fixtures = new ArrayList<>(Fixtures.platforms());
        fixtures.add(Fixtures.all().get(0));
        for (Fixtures.Fixture fixture : fixtures) {
            Pod pod = create(fixture.pod(), true, held.size() % 2 == 0);
            held.add(pod);
        }
        // the label alone: another writer already took the finalizer off
        Pod labelOnly = create(pod("ci", "label-only"), false, false);
        client.pods().resource(labelled(labelOnly)).update();
        Pod notHeld = create(pod("ci", "not-held"), false, true);
        Pod stranger = create(pod("deploy", "stranger"), false, false);

        assertEquals(0, command(Map.of()).run(), output.toString());

        for (Pod pod : held) {
            ObjectMeta meta = get(pod).getMetadata();
            assertFalse(meta.getFinalizers().contains(StatusCaptureFinalizer.NAME), meta.getName());
            assertFalse(FinalizerPatches.labelled(meta), meta.getName());
        }
        assertFalse(FinalizerPatches.labelled(get(labelOnly).getMetadata()));
        assertEquals(List.of(OTHER_FINALIZER), get(notHeld).getMetadata().getFinalizers(), "another's finalizer");
        assertEquals(
                notHeld.getMetadata().getResourceVersion(),
                get(notHeld).getMetadata().getResourceVersion());
        assertEquals(
                stranger.getMetadata().getResourceVersion(),
                get(stranger).getMetadata().getResourceVersion());
        assertTrue(
                output.toString().contains("released " + (held.size() + 1) + " pods"), "it says how many: " + output);
    }

    @Test
    void withNamespacesItListsOnlyThose() throws InterruptedException {
        Pod inside = create(pod("ci", "inside"), true, false);
        Pod outside = create(pod("elsewhere", "outside"), true, false);

        assertEquals(0, command(Map.of("STAGEWATCH_NAMESPACES", "ci, deploy")).run(), output.toString());

        assertFalse(FinalizerPatches.holds(get(inside).getMetadata()));
        assertTrue(FinalizerPatches.holds(get(outside).getMetadata()), "not in the namespaces given");
    }

    @Test
    void waitsForTheInstancesToGoBeforeItReleases() throws Exception {
        Pod held = create(pod("ci", "held"), true, false);
        Pod instance = create(
                new PodBuilder(pod("stagewatch", "stagewatch-0"))
                        .editMetadata()
                        .withLabels(Map.of("app.kubernetes.io/instance", "sw"))
                        .endMetadata()
                        .build(),
                false,
                false);
        Map<String, String> env =
                Map.of(ReleaseFinalizers.WAIT_FOR, "app.kubernetes.io/instance=sw", "POD_NAMESPACE", "stagewatch");

        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
            try {
                return command(env).run();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !run.isDone());
        assertTrue(FinalizerPatches.holds(get(held).getMetadata()), "nothing released while an instance runs");
        client.pods().resource(instance).delete();

        assertEquals(0, run.get(10, TimeUnit.SECONDS), output.toString());
        assertFalse(FinalizerPatches.holds(get(held).getMetadata()));
    }

    @Test
    void aRefusedListIsAnError() throws InterruptedException {
        KubernetesClient unreachable = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder()
                        .withMasterUrl("http://127.0.0.1:1")
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build();
        try (unreachable) {
            int code = new ReleaseFinalizers(
                            unreachable, Map.of(), printer(), Duration.ofMillis(10), Duration.ofSeconds(1))
                    .run();
            assertEquals(1, code, output.toString());
        }
    }

    private ReleaseFinalizers command(Map<String, String> env) {
        return new ReleaseFinalizers(client, env, printer(), Duration.ofMillis(20), Duration.ofSeconds(5));
    }

    private PrintStream printer() {
        return new PrintStream(output, true, StandardCharsets.UTF_8);
    }

    private static Pod pod(String namespace, String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .build();
    }

    private static Pod labelled(Pod pod) {
        return new PodBuilder(pod)
                .editMetadata()
                .addToLabels(StatusCaptureFinalizer.HELD_LABEL, "true")
                .endMetadata()
                .build();
    }

    /** Creates the pod, held by stagewatch (finalizer and label) or not, with another controller's finalizer or not. */
    private Pod create(Pod pod, boolean heldByStagewatch, boolean otherFinalizer) {
        PodBuilder builder = new PodBuilder(pod)
                .editMetadata()
                .withFinalizers()
                .withUid(null)
                .withResourceVersion(null)
                .endMetadata();
        if (otherFinalizer) {
            builder.editMetadata().addToFinalizers(OTHER_FINALIZER).endMetadata();
        }
        Pod created = heldByStagewatch
                ? labelled(builder.editMetadata()
                        .addToFinalizers(StatusCaptureFinalizer.NAME)
                        .endMetadata()
                        .build())
                : builder.build();
        return client.pods().resource(created).create();
    }

    private Pod get(Pod pod) {
        return client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .get();
    }
}
