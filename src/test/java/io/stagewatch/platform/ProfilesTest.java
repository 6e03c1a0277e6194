package io.stagewatch.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.stagewatch.pipeline.ProfilesProducer;
import io.stagewatch.run.Platform;
import io.stagewatch.run.Stage;
import io.stagewatch.testing.AllProfiles;
import io.stagewatch.testing.Fixtures;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which profile a pod belongs to: the most specific enabled one that claims it, whatever the configured order. */
class ProfilesTest {

    private static final LabelKeys KEYS =
            ProfilesProducer.labelKeys(AllProfiles.config(Map.of()).labels());

    private static Pod fixture(String file) {
        Pod pod = Fixtures.platforms().stream()
                .filter(f -> f.file().equals(file + ".json"))
                .findFirst()
                .orElseThrow()
                .pod();
        return AllProfiles.slimPods().slim(pod);
    }

    private static Profile argo() {
        return new ArgoProfile(KEYS, Set.of(), Stage.CI, null);
    }

    private static Profile stagewatch() {
        return new StagewatchProfile(KEYS, Set.of(), null);
    }

    @Test
    void profilesAreTriedMostSpecificFirstWhateverTheConfiguredOrder() {
        Profiles profiles = new Profiles(List.of(
                stagewatch(),
                argo(),
                new TektonProfile(KEYS, Set.of(), Stage.CI, null),
                new DevtronProfile(Set.of("devtron-ci"), null)));
        assertEquals(
                List.of(Platform.DEVTRON, Platform.TEKTON, Platform.ARGO, Platform.STAGEWATCH),
                profiles.enabled().stream().map(Profile::platform).toList());
    }

    @Test
    void anArgoPodCarryingTheStageLabelIsAnArgoRunWhenArgoIsEnabledAndAStagewatchRunOtherwise() {
        Pod pod = fixture("argo-12-podmetadata-stage-label");
        assertEquals(
                Platform.ARGO,
                new Profiles(List.of(stagewatch(), argo()))
                        .claimant(pod.getMetadata())
                        .platform());
        assertEquals(
                Platform.STAGEWATCH,
                new Profiles(List.of(stagewatch())).claimant(pod.getMetadata()).platform());
    }

    @Test
    void aDevtronPodUnderTheArgoExecutorIsAnArgoRunWhenOnlyArgoIsEnabled() {
        Pod pod = fixture("devtron-awf-01-ci-success");
        assertEquals(
                Platform.DEVTRON,
                AllProfiles.profiles().claimant(pod.getMetadata()).platform());
        assertEquals(
                Platform.ARGO,
                new Profiles(List.of(argo())).claimant(pod.getMetadata()).platform());
    }

    @Test
    void devtronsHelperPodsAreTakenByNoProfile() {
        Pod helper = fixture("devtron-awf-05-create-env-helper");
        assertNull(
                AllProfiles.profiles().claimant(helper.getMetadata()), "not a Devtron run, and not an Argo run either");
        assertEquals(
                Platform.ARGO,
                new Profiles(List.of(argo())).claimant(helper.getMetadata()).platform(),
                "an Argo step when devtron is not enabled");
    }

    @Test
    void theDevtronOwnerInstanceRestrictsSystemPods() {
        // as a service with owner-instance set keeps the label in its slim copies (its selector reads it)
        Pod pod = Fixtures.platforms().stream()
                .filter(f -> f.file().startsWith("devtron-system-01-"))
                .findFirst()
                .orElseThrow()
                .pod();
        Set<String> namespaces = Set.of("devtron-ci");
        assertEquals(Profile.Claim.RUN, new DevtronProfile(namespaces, "ucid-7f3e").claim(pod.getMetadata()));
        assertEquals(Profile.Claim.NONE, new DevtronProfile(namespaces, "ucid-other").claim(pod.getMetadata()));
        assertEquals(
                Profile.Claim.NONE,
                new DevtronProfile(Set.of("devtron-cd"), null).claim(pod.getMetadata()),
                "outside its namespaces");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ci", "cd"})
    void devtronNeverReadsWorkflowPurposeWhichSaysCdOnEverySystemPod(String type) {
        Pod pod = fixture("devtron-system-01-ci-success");
        ObjectMeta meta = new PodBuilder(pod)
                .editMetadata()
                .addToLabels("workflowType", type)
                .addToLabels("devtron.ai/workflow-purpose", "cd")
                .endMetadata()
                .build()
                .getMetadata();
        assertEquals(Profile.Claim.RUN, new DevtronProfile(Set.of("devtron-ci"), null).claim(meta));
        ObjectMeta other = new PodBuilder(pod)
                .editMetadata()
                .addToLabels("workflowType", "deploy")
                .endMetadata()
                .build()
                .getMetadata();
        assertEquals(Profile.Claim.NONE, new DevtronProfile(Set.of("devtron-ci"), null).claim(other));
    }

    @Test
    void theWatchesAreTheUnionOfEveryProfilesSelectorsInEachOfItsNamespaces() {
        List<String> watches = AllProfiles.profiles().watches().stream()
                .map(w -> w.profile().platform().id() + " " + w.namespace() + " " + w.selector())
                .toList();
        assertEquals(
                List.of(
                        "devtron devtron-cd devtron.ai/purpose=workflow,workflowType",
                        "devtron devtron-ci devtron.ai/purpose=workflow,workflowType",
                        "devtron devtron-cd workflows.argoproj.io/workflow,!workflows.argoproj.io/component",
                        "devtron devtron-ci workflows.argoproj.io/workflow,!workflows.argoproj.io/component",
                        "tekton null tekton.dev/taskRun",
                        "argo null workflows.argoproj.io/workflow,!workflows.argoproj.io/component",
                        "job null ci.example.org/watch",
                        "stagewatch null stagewatch.io/stage"),
                watches);
    }

    @Test
    void claimingAPodAllocatesNothing() {
        Profiles profiles = AllProfiles.profiles();
        List<ObjectMeta> pods = Fixtures.platforms().stream()
                .map(f -> AllProfiles.slimPods().slim(f.pod()).getMetadata())
                .toList();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int claimed = 0;
        for (int warm = 0; warm < 20_000; warm++) {
            claimed += claimAll(profiles, pods);
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int round = 0; round < 1_000; round++) {
            claimed += claimAll(profiles, pods);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(claimed > 0);
        assertTrue(
                allocated < 64 * 1024, "claiming " + 1_000 * pods.size() + " pods allocated " + allocated + " bytes");
    }

    private static int claimAll(Profiles profiles, List<ObjectMeta> pods) {
        int claimed = 0;
        for (ObjectMeta meta : pods) {
            if (profiles.claimant(meta) != null) {
                claimed++;
            }
        }
        return claimed;
    }

    @Test
    void aStagewatchPodIsClaimedByTheStagewatchProfileOnly() {
        ObjectMeta meta = new PodBuilder()
                .withNewMetadata()
                .withNamespace("ci")
                .withName("build-1")
                .withLabels(Map.of("stagewatch.io/stage", "ci"))
                .endMetadata()
                .build()
                .getMetadata();
        assertSame(Platform.STAGEWATCH, AllProfiles.profiles().claimant(meta).platform());
    }
}
