package io.stagewatch.workflow;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.stagewatch.kube.SlimPods;
import io.stagewatch.kube.WorkflowDecoder;
import io.stagewatch.platform.Profile;
import io.stagewatch.platform.Profiles;
import io.stagewatch.platform.RunMapping;
import io.stagewatch.platform.WorkflowLink;
import io.stagewatch.platform.WorkflowLinks;
import io.stagewatch.run.Platform;
import io.stagewatch.run.PodClassifier;
import io.stagewatch.run.Rfc3339;
import io.stagewatch.run.Verdict;
import io.stagewatch.testing.AllProfiles;
import io.stagewatch.testing.Fixtures;
import io.stagewatch.testing.Fixtures.WorkflowFixture;
import io.stagewatch.testing.Fixtures.WorkflowPod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every workflow fixture, played as the wiring will: the object decoded (a PipelineRun with its TaskRuns), each pod
 * claimed, mapped and classified by its platform's profile as the informer keeps it (slim), linked to its workflow
 * from its labels and annotations, and the workflow judged at the fixture's {@code now} with the default settle and
 * stuck-after times.
 */
class WorkflowFixturesTest {

    private static final Profiles PROFILES = AllProfiles.profiles();
    private static final SlimPods SLIM = AllProfiles.slimPods();
    private static final WorkflowJudge JUDGE = new WorkflowJudge(Duration.ofSeconds(30), Duration.ofMinutes(30));

    @Test
    void everyPlatformAndEveryCaseOfTheIssueHasAFixture() {
        List<String> files =
                Fixtures.workflows().stream().map(WorkflowFixture::file).toList();
        for (String expected : new String[] {
            "argo-01-node-shutdown-exit-0-under-succeeded.json",
            "argo-02-evicted-step-retried-successfully.json",
            "argo-03-workload-failure-under-continue-on.json",
            "argo-06-object-deleted-before-pods-finished.json",
            "tekton-01-task-retried-after-failure.json",
            "tekton-02-taskrun-succeeded-after-eviction.json",
            "job-01-taint-deletion-replaced.json",
            "devtron-awf-01-node-shutdown.json",
            "devtron-system-01-post-cd-node-shutdown.json"
        }) {
            assertTrue(files.contains(expected), expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.stagewatch.testing.Fixtures#workflows")
    void theWorkflowGetsItsVerdict(WorkflowFixture fixture) {
        WorkflowObject workflow = decode(fixture);
        List<WorkflowRun> runs = new ArrayList<>();
        for (WorkflowPod pod : fixture.pods()) {
            runs.add(run(fixture, workflow, pod));
        }
        WorkflowVerdict verdict = JUDGE.judge(workflow, runs, fixture.now());
        JsonNode expected = fixture.expected();
        assertAll(
                fixture.description(),
                () -> assertEquals(
                        expected.get("status").asText(), verdict.status().name(), "status"),
                () -> assertEquals(text(expected, "cause"), Objects.toString(verdict.cause(), null), "cause"),
                () -> assertEquals(text(expected, "reason"), Objects.toString(verdict.reason(), null), "reason"),
                () -> assertEquals(text(expected, "platformStatus"), verdict.platformStatus(), "platformStatus"),
                () -> assertEquals(expected.get("contradiction").asBoolean(), verdict.contradiction(), "contradiction"),
                () -> assertEquals(
                        expected.get("infrastructureRetries").asInt(),
                        verdict.infrastructureRetries(),
                        "infrastructureRetries"),
                () -> assertTrue(verdict.isFinal(), "final"),
                () -> Fixtures.assertMessageContains(expected, verdict.message()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.stagewatch.testing.Fixtures#workflows")
    void nothingOfTheObjectsSecretsIsKept(WorkflowFixture fixture) {
        if (fixture.object() != null) {
            assertTrue(fixture.object().toString().contains("SECRET"), "the fixture plants secrets");
            String kept = decode(fixture).toString();
            assertFalse(kept.contains("SECRET"), kept);
        }
    }

    private static WorkflowObject decode(WorkflowFixture fixture) {
        if (fixture.object() == null) {
            return null;
        }
        WorkflowObject workflow = WorkflowDecoder.decode(fixture.object(), platform(fixture));
        List<WorkflowObject> taskRuns = fixture.taskRuns().stream()
                .map(taskRun -> WorkflowDecoder.decode(taskRun, platform(fixture)))
                .toList();
        return taskRuns.isEmpty() ? workflow : WorkflowDecoder.withTaskRuns(workflow, taskRuns);
    }

    /** The run of one pod: classified from its slim copy, linked from the pod as the API server sends it. */
    private static WorkflowRun run(WorkflowFixture fixture, WorkflowObject workflow, WorkflowPod workflowPod) {
        Pod pod = workflowPod.pod();
        Pod slim = SLIM.slim(pod);
        Profile profile = PROFILES.claimant(slim.getMetadata());
        assertNotNull(profile, "claimed: " + pod.getMetadata().getName());
        assertEquals(fixture.platform(), profile.platform().id(), "platform");
        RunMapping mapping = profile.map(slim);
        Verdict verdict = "DELETED".equals(workflowPod.event())
                ? PodClassifier.classifyDeleted(slim, mapping.rules())
                : PodClassifier.classify(slim, mapping.rules());
        WorkflowLink link = WorkflowLinks.of(profile.platform(), pod.getMetadata())
                .orElseThrow(
                        () -> new AssertionError("no link: " + pod.getMetadata().getName()));
        if (workflow != null) {
            assertEquals(workflow.kind(), link.kind(), "kind");
            assertEquals(workflow.name(), link.name(), "name");
            assertEquals(workflow.namespace(), link.namespace(), "namespace");
            assertEquals(workflow.uid(), link.uid(), "uid");
        }
        Instant created = Rfc3339.parse(pod.getMetadata().getCreationTimestamp(), "creationTimestamp");
        Instant finished = verdict.finishedAt() != null
                ? verdict.finishedAt()
                : Rfc3339.parse(pod.getMetadata().getDeletionTimestamp(), "deletionTimestamp");
        return new WorkflowRun(
                pod.getMetadata().getUid(),
                pod.getMetadata().getName(),
                link.step(),
                verdict.status(),
                verdict.reason(),
                created,
                finished);
    }

    private static Platform platform(WorkflowFixture fixture) {
        return Platform.fromId(fixture.platform()).orElseThrow();
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
