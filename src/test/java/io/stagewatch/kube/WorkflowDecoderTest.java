package io.stagewatch.kube;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagewatch.run.ClusterText;
import io.stagewatch.run.Platform;
import io.stagewatch.workflow.Interruption;
import io.stagewatch.workflow.MalformedWorkflowException;
import io.stagewatch.workflow.PlatformOutcome;
import io.stagewatch.workflow.StepRecord;
import io.stagewatch.workflow.WorkflowKind;
import io.stagewatch.workflow.WorkflowObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The whitelisted fields of each platform's object, and nothing else: secrets above all. */
class WorkflowDecoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String ARGO = """
            {"apiVersion":"argoproj.io/v1alpha1","kind":"Workflow",
             "metadata":{"name":"payments-ci-x7k2p","namespace":"argo","uid":"wf-1",
               "labels":{"workflows.argoproj.io/completed":"true"}},
             "spec":{"entrypoint":"main","workflowTemplateRef":{"name":"payments-ci"},
               "arguments":{"parameters":[{"name":"token","value":"SECRET-parameter"}]},
               "templates":[{"name":"main","container":{"env":[{"name":"T","value":"SECRET-template-env"}]}}]},
             "status":{"phase":"Failed","startedAt":"2026-03-02T10:00:00Z","finishedAt":"2026-03-02T10:05:00Z",
               "message":"child 'p2' failed",
               "storedWorkflowTemplateSpec":{"arguments":{"parameters":[{"name":"t","value":"SECRET-stored-spec"}]}},
               "nodes":{
                 "wf-1":{"id":"wf-1","type":"Steps","phase":"Failed","children":["g0"]},
                 "g0":{"id":"g0","type":"StepGroup","phase":"Succeeded","boundaryID":"wf-1","children":["r"]},
                 "r":{"id":"r","type":"Retry","phase":"Succeeded","boundaryID":"wf-1","children":["p0","p1"]},
                 "p0":{"id":"p0","type":"Pod","phase":"Failed","boundaryID":"wf-1","message":"SECRET-node-message",
                       "inputs":{"parameters":[{"name":"t","value":"SECRET-node-input"}]}},
                 "p1":{"id":"p1","type":"Pod","phase":"Succeeded","boundaryID":"wf-1","children":["g1"],
                       "outputs":{"parameters":[{"name":"d","value":"SECRET-node-output"}]}},
                 "g1":{"id":"g1","type":"StepGroup","phase":"Failed","boundaryID":"wf-1","children":["p2"]},
                 "p2":{"id":"p2","type":"Pod","phase":"Failed","boundaryID":"wf-1"}}}}""";

    private static final String PIPELINE_RUN = """
            {"apiVersion":"tekton.dev/v1","kind":"PipelineRun",
             "metadata":{"name":"payments-build-run-x7k2p","namespace":"tekton-ci","uid":"pr-1",
               "labels":{"tekton.dev/pipeline":"payments-build"}},
             "spec":{"pipelineRef":{"name":"payments-build"},"params":[{"name":"t","value":"SECRET-param"}]},
             "status":{"startTime":"2026-03-02T10:00:00Z","completionTime":"2026-03-02T10:05:00Z",
               "conditions":[{"type":"Succeeded","status":"True","reason":"Completed","message":"Tasks Completed: 1"}],
               "pipelineSpec":{"params":[{"name":"t","default":"SECRET-pipeline-spec"}]},
               "results":[{"name":"digest","value":"SECRET-result"}],
               "childReferences":[{"kind":"TaskRun","name":"payments-build-run-x7k2p-build"}]}}""";

    private static final String TASK_RUN = """
            {"apiVersion":"tekton.dev/v1","kind":"TaskRun",
             "metadata":{"name":"payments-build-run-x7k2p-lint","namespace":"tekton-ci","uid":"tr-1",
               "labels":{"tekton.dev/task":"golang-lint"}},
             "spec":{"params":[{"name":"t","value":"SECRET-param"}]},
             "status":{"startTime":"2026-03-02T10:00:00Z","completionTime":"2026-03-02T10:01:00Z",
               "conditions":[{"type":"Succeeded","status":"False","reason":"FailureIgnored","message":"exit 1"}],
               "taskSpec":{"steps":[{"name":"lint","script":"SECRET-script","env":[{"name":"T","value":"SECRET-env"}]}]},
               "results":[{"name":"r","value":"SECRET-result"}],
               "retriesStatus":[{"results":[{"name":"r","value":"SECRET-retry-result"}]}]}}""";

    private static final String JOB = """
            {"apiVersion":"batch/v1","kind":"Job",
             "metadata":{"name":"nightly-report-29012345","namespace":"batch","uid":"job-1"},
             "spec":{"template":{"spec":{"containers":[{"name":"report",
               "env":[{"name":"DB_PASSWORD","value":"SECRET-template-env"}]}]}}},
             "status":{"startTime":"2026-03-02T10:00:00Z","completionTime":"2026-03-02T10:05:00Z",
               "conditions":[
                 {"type":"SuccessCriteriaMet","status":"True","reason":"CompletionsReached"},
                 {"type":"Complete","status":"True","reason":"CompletionsReached","message":"Reached expected number"}]}}""";

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ARGO", "PIPELINE_RUN", "TASK_RUN", "JOB"})
    void noSecretPlantedInTheObjectIsKept(String which) throws Exception {
        String json = switch (which) {
            case "ARGO" -> ARGO;
            case "PIPELINE_RUN" -> PIPELINE_RUN;
            case "TASK_RUN" -> TASK_RUN;
            default -> JOB;
        };
        WorkflowObject decoded = WorkflowDecoder.decode(JSON.readTree(json), Platform.ARGO);
        assertTrue(json.contains("SECRET"));
        assertFalse(decoded.toString().contains("SECRET"), decoded.toString());
    }

    @Test
    void anArgoWorkflowKeepsItsPhaseTimesTemplateAndEachPodNode() throws Exception {
        WorkflowObject workflow = WorkflowDecoder.decode(JSON.readTree(ARGO), Platform.DEVTRON);
        assertAll(
                () -> assertEquals(Platform.DEVTRON, workflow.platform()),
                () -> assertEquals(WorkflowKind.WORKFLOW, workflow.kind()),
                () -> assertEquals("wf-1", workflow.uid()),
                () -> assertEquals("payments-ci", workflow.pipeline()),
                () -> assertEquals("Failed", workflow.platformStatus()),
                () -> assertEquals(PlatformOutcome.FAILED, workflow.outcome()),
                () -> assertTrue(workflow.finished()),
                () -> assertEquals(Interruption.NONE, workflow.interruption()),
                () -> assertEquals(Instant.parse("2026-03-02T10:05:00Z"), workflow.finishedAt()),
                () -> assertEquals("child 'p2' failed", workflow.message()),
                () -> assertEquals(
                        Map.of(
                                "p0", new StepRecord("Failed", false, true),
                                "p1", new StepRecord("Succeeded", true, true),
                                "p2", new StepRecord("Failed", false, false)),
                        workflow.steps(),
                        "p0 under a retry that succeeded; p2 under a failed group, though p1 before it succeeded"));
    }

    @Test
    void podNodesOfOnePhaseShareOneRecord() throws Exception {
        WorkflowObject workflow = WorkflowDecoder.decode(JSON.readTree(ARGO), Platform.ARGO);
        WorkflowObject again = WorkflowDecoder.decode(JSON.readTree(ARGO), Platform.ARGO);
        assertSame(workflow.steps().get("p0"), again.steps().get("p0"));
    }

    @Test
    void anArgoWorkflowIsFinishedByItsCompletedLabelOrItsFinishTimeAndATerminalPhase() throws Exception {
        ObjectNode workflow = (ObjectNode) JSON.readTree(ARGO);
        ((ObjectNode) workflow.path("status")).remove("finishedAt");
        assertTrue(WorkflowDecoder.decode(workflow, Platform.ARGO).finished(), "by the label");
        ((ObjectNode) workflow.path("metadata").path("labels")).put("workflows.argoproj.io/completed", "false");
        assertFalse(WorkflowDecoder.decode(workflow, Platform.ARGO).finished());
        ((ObjectNode) workflow.path("status")).put("finishedAt", "2026-03-02T10:05:00Z");
        assertTrue(WorkflowDecoder.decode(workflow, Platform.ARGO).finished(), "by the time");
        ((ObjectNode) workflow.path("status")).put("phase", "Running");
        WorkflowObject running = WorkflowDecoder.decode(workflow, Platform.ARGO);
        assertAll(
                () -> assertFalse(running.finished(), "never finished in a phase that is not terminal"),
                () -> assertEquals(PlatformOutcome.RUNNING, running.outcome()),
                () -> assertEquals("Running", running.platformStatus()));
    }

    @Test
    void anArgoWorkflowShutDownIsCancelledAndOnePastItsDeadlineTimedOut() throws Exception {
        ObjectNode workflow = (ObjectNode) JSON.readTree(ARGO);
        ((ObjectNode) workflow.path("spec")).put("activeDeadlineSeconds", 300);
        assertEquals(
                Interruption.TIMED_OUT,
                WorkflowDecoder.decode(workflow, Platform.ARGO).interruption());
        ((ObjectNode) workflow.path("spec")).put("activeDeadlineSeconds", 301);
        assertEquals(
                Interruption.NONE,
                WorkflowDecoder.decode(workflow, Platform.ARGO).interruption());
        ((ObjectNode) workflow.path("spec")).put("shutdown", "Stop");
        assertEquals(
                Interruption.CANCELLED,
                WorkflowDecoder.decode(workflow, Platform.ARGO).interruption());
    }

    @Test
    void anArgoWorkflowWithoutNodeStatusHasNoSteps() throws Exception {
        ObjectNode workflow = (ObjectNode) JSON.readTree(ARGO);
        ((ObjectNode) workflow.path("status")).remove("nodes");
        ((ObjectNode) workflow.path("status")).put("offloadNodeStatusVersion", "fnv:123");
        assertEquals(Map.of(), WorkflowDecoder.decode(workflow, Platform.ARGO).steps());
    }

    @Test
    void aPipelineRunTakesTheWordOfItsTaskRuns() throws Exception {
        WorkflowObject pipelineRun = WorkflowDecoder.decode(JSON.readTree(PIPELINE_RUN), Platform.TEKTON);
        WorkflowObject taskRun = WorkflowDecoder.decode(JSON.readTree(TASK_RUN), Platform.TEKTON);
        WorkflowObject joined = WorkflowDecoder.withTaskRuns(pipelineRun, List.of(taskRun));
        assertAll(
                () -> assertEquals(WorkflowKind.PIPELINE_RUN, joined.kind()),
                () -> assertEquals("payments-build", joined.pipeline()),
                () -> assertEquals("Completed", joined.platformStatus()),
                () -> assertEquals(PlatformOutcome.SUCCEEDED, joined.outcome(), "Completed is a success"),
                () -> assertTrue(joined.finished()),
                () -> assertEquals(
                        Map.of("payments-build-run-x7k2p-lint", new StepRecord("FailureIgnored", false, true)),
                        joined.steps()),
                () -> assertEquals(WorkflowKind.TASK_RUN, taskRun.kind()),
                () -> assertEquals("golang-lint", taskRun.pipeline()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "True, Succeeded, true, NONE",
        "False, Failed, true, NONE",
        "False, Cancelled, true, CANCELLED",
        "False, StoppedRunFinally, true, CANCELLED",
        "False, PipelineRunTimeout, true, TIMED_OUT",
        "Unknown, Running, false, NONE",
        "Unknown, ToBeRetried, false, NONE"
    })
    void aTektonRunIsFinishedByItsSucceededConditionWithACompletionTime(
            String status, String reason, boolean finished, Interruption interruption) throws Exception {
        ObjectNode run = (ObjectNode) JSON.readTree(PIPELINE_RUN);
        ObjectNode condition =
                (ObjectNode) run.path("status").path("conditions").get(0);
        condition.put("status", status).put("reason", reason);
        WorkflowObject decoded = WorkflowDecoder.decode(run, Platform.TEKTON);
        assertAll(
                () -> assertEquals(finished, decoded.finished()),
                () -> assertEquals(reason, decoded.platformStatus()),
                () -> assertEquals(interruption, decoded.interruption()));
        ((ObjectNode) run.path("status")).remove("completionTime");
        assertFalse(WorkflowDecoder.decode(run, Platform.TEKTON).finished(), "not without its completion time");
    }

    @Test
    void aJobIsFinishedByItsCompleteOrFailedCondition() throws Exception {
        WorkflowObject complete = WorkflowDecoder.decode(JSON.readTree(JOB), Platform.JOB);
        assertAll(
                () -> assertEquals("Complete", complete.platformStatus()),
                () -> assertEquals(PlatformOutcome.SUCCEEDED, complete.outcome()),
                () -> assertEquals(Interruption.COMPLETIONS_REACHED, complete.interruption()),
                () -> assertEquals("nightly-report", complete.pipeline()),
                () -> assertEquals("Reached expected number", complete.message()));

        ObjectNode job = (ObjectNode) JSON.readTree(JOB);
        ((ObjectNode) job.path("status")).remove("completionTime");
        ((ObjectNode) job.path("status")).set("conditions", JSON.readTree("""
                [{"type":"FailureTarget","status":"True","reason":"DeadlineExceeded"}]"""));
        WorkflowObject failing = WorkflowDecoder.decode(job, Platform.JOB);
        assertAll(
                () -> assertFalse(failing.finished(), "FailureTarget comes before the pods ended"),
                () -> assertNull(failing.platformStatus()));

        ((ObjectNode) job.path("status")).set("conditions", JSON.readTree("""
                [{"type":"Failed","status":"True","reason":"DeadlineExceeded",
                  "lastTransitionTime":"2026-03-02T10:10:00Z"}]"""));
        WorkflowObject failed = WorkflowDecoder.decode(job, Platform.JOB);
        assertAll(
                () -> assertEquals("Failed", failed.platformStatus()),
                () -> assertEquals(Interruption.TIMED_OUT, failed.interruption()),
                () -> assertEquals(Instant.parse("2026-03-02T10:10:00Z"), failed.finishedAt()));
    }

    @Test
    void theMessageIsMadeSafeAndBounded() throws Exception {
        ObjectNode workflow = (ObjectNode) JSON.readTree(ARGO);
        ((ObjectNode) workflow.path("status")).put("message", "a\u0000b" + "x".repeat(5000));
        String message = WorkflowDecoder.decode(workflow, Platform.ARGO).message();
        assertAll(
                () -> assertEquals(ClusterText.MAX_MESSAGE, message.length()),
                () -> assertTrue(message.startsWith("a" + ClusterText.REPLACEMENT + "b"), message));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown-kind | {\"kind\":\"Deployment\",\"spec\":{\"token\":\"SECRET\"}}",
                "missing-identity | {\"kind\":\"Job\",\"metadata\":{\"name\":\"j\",\"namespace\":\"n\"}}",
                "bad-timestamp | {\"kind\":\"Job\",\"metadata\":{\"name\":\"j\",\"namespace\":\"n\",\"uid\":\"u\"},"
                        + "\"status\":{\"startTime\":\"yesterday\"}}"
            })
    void anObjectThatIsNoWorkflowIsMalformedAndNothingOfItIsQuoted(String problem, String json) throws Exception {
        JsonNode object = JSON.readTree(json);
        MalformedWorkflowException e =
                assertThrows(MalformedWorkflowException.class, () -> WorkflowDecoder.decode(object, Platform.JOB));
        assertAll(
                () -> assertEquals(problem, e.problem()),
                () -> assertFalse(e.getMessage().contains("SECRET"), e.getMessage()));
    }
}
