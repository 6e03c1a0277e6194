package io.stagewatch.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.stagewatch.run.Platform;
import io.stagewatch.workflow.Step;
import io.stagewatch.workflow.WorkflowKind;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A pod to its workflow and step, by the platforms' own labels, annotations and owner references. */
class WorkflowLinksTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "wf-x7k2p[0].build,           wf-x7k2p[0].build,           build,                0",
        "wf-x7k2p[0].build(2),        wf-x7k2p[0].build,           build,                2",
        "wf-x7k2p.build,              wf-x7k2p.build,              build,                0",
        "wf-x7k2p[1].deploy(0:1.2.3), wf-x7k2p[1].deploy(0:1.2.3), deploy(0:1.2.3),      0",
        "wf-x7k2p.onExit,             wf-x7k2p.onExit,             onExit,               0",
        "wf-x7k2p,                    wf-x7k2p,                    wf-x7k2p,             0"
    })
    void anArgoPodIsTheNodeItsAnnotationsNameWithoutTheRetryIndex(String node, String key, String name, int attempt) {
        ObjectMeta pod = meta("wf-x7k2p-build-1008", Map.of(ArgoProfile.WORKFLOW_LABEL, "wf-x7k2p"))
                .addToAnnotations(
                        Map.of(WorkflowLinks.ARGO_NODE_NAME, node, WorkflowLinks.ARGO_NODE_ID, "wf-x7k2p-1008"))
                .addNewOwnerReference()
                .withKind("Workflow")
                .withName("wf-x7k2p")
                .withUid("wf-uid")
                .endOwnerReference()
                .build();
        assertEquals(
                Optional.of(new WorkflowLink(
                        WorkflowKind.WORKFLOW,
                        "ci",
                        "wf-x7k2p",
                        "wf-uid",
                        new Step(key, name, attempt, "wf-x7k2p-1008"))),
                WorkflowLinks.of(Platform.ARGO, pod));
    }

    @Test
    void anArgoPodWithoutItsNodeAnnotationsIsAStepOfItsOwn() {
        ObjectMeta pod = meta("wf-x7k2p-build-1008", Map.of(ArgoProfile.WORKFLOW_LABEL, "wf-x7k2p"))
                .build();
        assertEquals(
                new Step("wf-x7k2p-build-1008", "wf-x7k2p-build-1008", 0, null),
                WorkflowLinks.of(Platform.ARGO, pod).orElseThrow().step());
    }

    @Test
    void aTektonPodIsItsTaskRunInItsPipelineRunAndItsRetryPodALaterAttempt() {
        ObjectMeta pod = meta(
                        "run-x7k2p-test-pod-retry2",
                        Map.of(
                                TektonProfile.TASK_RUN_LABEL, "run-x7k2p-test",
                                TektonProfile.PIPELINE_RUN_LABEL, "run-x7k2p",
                                WorkflowLinks.TEKTON_PIPELINE_RUN_UID, "pr-uid",
                                WorkflowLinks.TEKTON_PIPELINE_TASK, "test"))
                .build();
        assertEquals(
                Optional.of(new WorkflowLink(
                        WorkflowKind.PIPELINE_RUN,
                        "ci",
                        "run-x7k2p",
                        "pr-uid",
                        new Step("run-x7k2p-test", "test", 2, "run-x7k2p-test"))),
                WorkflowLinks.of(Platform.TEKTON, pod));
    }

    @Test
    void aTektonPodOfALoneTaskRunIsThatTaskRun() {
        ObjectMeta pod = meta("lint-q9z8x-pod", Map.of(TektonProfile.TASK_RUN_LABEL, "lint-q9z8x"))
                .addNewOwnerReference()
                .withKind("TaskRun")
                .withName("lint-q9z8x")
                .withUid("tr-uid")
                .endOwnerReference()
                .build();
        assertEquals(
                Optional.of(new WorkflowLink(
                        WorkflowKind.TASK_RUN,
                        "ci",
                        "lint-q9z8x",
                        "tr-uid",
                        new Step("lint-q9z8x", "lint-q9z8x", 0, "lint-q9z8x"))),
                WorkflowLinks.of(Platform.TEKTON, pod));
    }

    @Test
    void aJobPodIsItsJobAndAnIndexedOneItsCompletionIndex() {
        ObjectMeta pod = meta(
                        "export-29012345-2-k2x4s",
                        Map.of(
                                JobProfile.JOB_NAME_LABEL, "export-29012345",
                                WorkflowLinks.JOB_CONTROLLER_UID, "job-uid"))
                .addToAnnotations(WorkflowLinks.JOB_COMPLETION_INDEX, "2")
                .build();
        assertEquals(
                Optional.of(new WorkflowLink(
                        WorkflowKind.JOB, "ci", "export-29012345", "job-uid", new Step("2", "index 2", 0, null))),
                WorkflowLinks.of(Platform.JOB, pod));
    }

    @Test
    void aJobPodWithTheLegacyLabelsOnlyIsLinkedToo() {
        ObjectMeta pod = meta(
                        "report-k2x4s",
                        Map.of(WorkflowLinks.LEGACY_JOB_NAME, "report", WorkflowLinks.LEGACY_CONTROLLER_UID, "job-uid"))
                .build();
        assertEquals(
                Optional.of(
                        new WorkflowLink(WorkflowKind.JOB, "ci", "report", "job-uid", new Step("", "report", 0, null))),
                WorkflowLinks.of(Platform.JOB, pod));
    }

    @Test
    void aDevtronPodIsTheObjectOfItsExecutor() {
        ObjectMeta awf = meta("812-ci-q8w3e", Map.of(ArgoProfile.WORKFLOW_LABEL, "812-ci-q8w3e"))
                .build();
        ObjectMeta system = meta(
                        "812-ci-x7c2m",
                        Map.of(JobProfile.JOB_NAME_LABEL, "812-ci", WorkflowLinks.JOB_CONTROLLER_UID, "job-uid"))
                .build();
        assertEquals(
                WorkflowKind.WORKFLOW,
                WorkflowLinks.of(Platform.DEVTRON, awf).orElseThrow().kind());
        assertEquals(
                WorkflowKind.JOB,
                WorkflowLinks.of(Platform.DEVTRON, system).orElseThrow().kind());
    }

    @Test
    void aPodThatNamesNoWorkflowHasNone() {
        ObjectMeta pod = meta("build-1", Map.of("stagewatch.io/stage", "ci")).build();
        for (Platform platform : Platform.values()) {
            assertTrue(WorkflowLinks.of(platform, pod).isEmpty(), platform.id());
        }
    }

    private static ObjectMetaBuilder meta(String name, Map<String, String> labels) {
        return new ObjectMetaBuilder().withName(name).withNamespace("ci").withLabels(labels);
    }
}
