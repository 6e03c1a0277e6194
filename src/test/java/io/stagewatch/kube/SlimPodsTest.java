package io.stagewatch.kube;

import static io.stagewatch.testing.Pods.waiting;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.pipeline.ProfilesProducer;
import io.stagewatch.run.PodClassifier;
import io.stagewatch.testing.AllProfiles;
import io.stagewatch.testing.Fixtures.Fixture;
import io.stagewatch.testing.Pods;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A slim pod decides as the pod it was made from, and holds nothing else. */
class SlimPodsTest {

    /** The defaults of the configuration, as Quarkus reads them ("15s" is a Duration). */
    private static final StagewatchConfig CONFIG = new SmallRyeConfigBuilder()
            .withMapping(StagewatchConfig.class)
            .withConverter(Duration.class, 100, new DurationConverter())
            .build()
            .getConfigMapping(StagewatchConfig.class);

    private final SlimPods slimPods = new SlimPods(CONFIG, ProfilesProducer.build(CONFIG));

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.stagewatch.testing.Fixtures#all")
    void everyFixtureIsClassifiedAsTheFullPodIs(Fixture fixture) {
        Pod pod = fixture.pod();
        Pod slim = slimPods.slim(pod);
        assertAll(
                fixture.description(),
                () -> assertEquals(PodClassifier.classify(pod), PodClassifier.classify(slim), "classify"),
                () -> assertEquals(
                        PodClassifier.classifyDeleted(pod), PodClassifier.classifyDeleted(slim), "classifyDeleted"),
                () -> assertEquals(PodClassifier.startWait(pod), PodClassifier.startWait(slim), "startWait"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"io.stagewatch.testing.Fixtures#all", "io.stagewatch.testing.Fixtures#platforms"})
    void aSlimPodIsItsOwnSlimCopy(Fixture fixture) {
        // the informer hands its cached (slim) copies to the handlers, which make slim copies of what they get
        SlimPods everyProfile = AllProfiles.slimPods();
        Pod slim = everyProfile.slim(fixture.pod());
        assertEquals(slim, everyProfile.slim(slim), fixture.description());
    }

    @Test
    void aPlatformsPodKeepsOnlyWhatTheDecisionReads() {
        Pod pod = Pods.workflow("ci", "build-1", "ci")
                .running()
                .label("job-name", "build-1")
                .label("controller-uid", "4b1c")
                .notify("ops@example.org")
                .with(builder -> builder.editMetadata()
                        .addToAnnotations("kubectl.kubernetes.io/default-container", "main")
                        .addNewManagedField()
                        .withManager("kubelet")
                        .endManagedField()
                        .endMetadata()
                        .editSpec()
                        .editFirstContainer()
                        .addToEnv(new EnvVar("TOKEN", "s3cret", null))
                        .endContainer()
                        .addNewVolume()
                        .withName("workspace")
                        .withNewEmptyDir()
                        .endEmptyDir()
                        .endVolume()
                        .endSpec()
                        .editStatus()
                        .addToConditions(
                                condition("Ready", "True"),
                                condition("PodScheduled", "True"),
                                condition("DisruptionTarget", "True"))
                        .editFirstContainerStatus()
                        .withContainerID("containerd://abc")
                        .endContainerStatus()
                        .endStatus())
                .build();

        Pod slim = slimPods.slim(pod);

        assertAll(
                () -> assertEquals(
                        Map.of(
                                "stagewatch.io/stage",
                                "ci",
                                "stagewatch.io/workflow",
                                "build-1",
                                "stagewatch.io/pipeline",
                                "payments-api"),
                        slim.getMetadata().getLabels()),
                () -> assertEquals(
                        Map.of("stagewatch.io/notify", "ops@example.org"),
                        slim.getMetadata().getAnnotations()),
                () -> assertEquals(List.of(), slim.getMetadata().getManagedFields()),
                () -> assertEquals(
                        List.of(), slim.getSpec().getContainers().get(0).getEnv()),
                () -> assertNull(slim.getSpec().getContainers().get(0).getImage()),
                () -> assertEquals(List.of(), slim.getSpec().getVolumes()),
                () -> assertEquals(
                        List.of("DisruptionTarget"),
                        slim.getStatus().getConditions().stream()
                                .map(PodCondition::getType)
                                .toList()),
                () -> assertNull(slim.getStatus().getContainerStatuses().get(0).getContainerID()),
                () -> assertEquals(
                        pod.getStatus().getContainerStatuses().get(0).getState().getRunning(),
                        slim.getStatus()
                                .getContainerStatuses()
                                .get(0)
                                .getState()
                                .getRunning()));
    }

    @Test
    void aPodTheSchedulerCannotPlaceKeepsTheSchedulersWords() {
        Pod pod = Pods.workflow("ci", "build-2", "ci")
                .container("main", waiting("ContainerCreating"))
                .condition("PodScheduled", "False", "Unschedulable", "0/3 nodes are available")
                .build();

        Pod slim = slimPods.slim(pod);

        assertEquals(
                List.of("PodScheduled"),
                slim.getStatus().getConditions().stream()
                        .map(PodCondition::getType)
                        .toList());
        assertEquals(PodClassifier.startWait(pod), PodClassifier.startWait(slim));
    }

    @Test
    void phasesAndContainerNamesAreSharedBetweenPods() {
        // as parsed from two API responses: equal strings, two instances
        Pod first = slimPods.slim(parsed("build-3"));
        Pod second = slimPods.slim(parsed("build-4"));

        assertSame(first.getStatus().getPhase(), second.getStatus().getPhase());
        assertSame(
                first.getSpec().getContainers().get(0).getName(),
                second.getSpec().getContainers().get(0).getName());
        assertSame(
                first.getStatus().getContainerStatuses().get(0).getName(),
                second.getStatus().getContainerStatuses().get(0).getName());
    }

    private static Pod parsed(String name) {
        return Serialization.unmarshal(
                Serialization.asJson(Pods.workflow("ci", name, "ci").running().build()), Pod.class);
    }

    private static PodCondition condition(String type, String status) {
        return new PodConditionBuilder().withType(type).withStatus(status).build();
    }
}
