package io.stagewatch.run;

import static io.stagewatch.run.FailureCause.INFRASTRUCTURE;
import static io.stagewatch.run.FailureCause.WORKLOAD;
import static io.stagewatch.run.FailureReason.ADMISSION_REJECTED;
import static io.stagewatch.run.FailureReason.CONTAINER_LOST;
import static io.stagewatch.run.FailureReason.DEADLINE_EXCEEDED;
import static io.stagewatch.run.FailureReason.DISRUPTED;
import static io.stagewatch.run.FailureReason.EVICTED;
import static io.stagewatch.run.FailureReason.EXIT_CODE;
import static io.stagewatch.run.FailureReason.INIT_FAILED;
import static io.stagewatch.run.FailureReason.NODE_LOST;
import static io.stagewatch.run.FailureReason.NODE_SHUTDOWN;
import static io.stagewatch.run.FailureReason.OOM_KILLED;
import static io.stagewatch.run.FailureReason.POD_DELETED;
import static io.stagewatch.run.FailureReason.PREEMPTED;
import static io.stagewatch.run.FailureReason.UNKNOWN;
import static io.stagewatch.testing.Pods.FINISHED;
import static io.stagewatch.testing.Pods.PRESSURE_MESSAGE;
import static io.stagewatch.testing.Pods.SHUTDOWN_MESSAGE;
import static io.stagewatch.testing.Pods.STARTED;
import static io.stagewatch.testing.Pods.at;
import static io.stagewatch.testing.Pods.exited;
import static io.stagewatch.testing.Pods.runningSince;
import static io.stagewatch.testing.Pods.waiting;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.Pod;
import io.stagewatch.testing.Fixtures;
import io.stagewatch.testing.Fixtures.Fixture;
import io.stagewatch.testing.Pods;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The classification rules of docs/classification.md, "The success rules" and "Signals, strongest first". */
class PodClassifierTest {

    // ------------------------------------------------------------------ pod fixtures

    @Nested
    class PodFixtures {

        @Test
        void fixtureDirectoryHoldsPods() {
            assertFalse(Fixtures.all().isEmpty(), "no fixture in src/test/resources/fixtures/pods");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("io.stagewatch.testing.Fixtures#all")
        void fixturePodGetsItsExpectedVerdict(Fixture fixture) {
            Verdict verdict = "DELETED".equals(fixture.event())
                    ? PodClassifier.classifyDeleted(fixture.pod())
                    : PodClassifier.classify(fixture.pod());

            JsonNode expected = fixture.expected();
            assertAll(
                    fixture.description(),
                    () -> assertEquals(RunStatus.valueOf(fixture.status()), verdict.status(), "status"),
                    () -> assertEquals(fixture.cause(), name(verdict.cause()), "cause"),
                    () -> assertEquals(fixture.reason(), name(verdict.reason()), "reason"),
                    () -> {
                        if (expected.has("startedAt")) {
                            assertEquals(
                                    Instant.parse(expected.get("startedAt").asText()),
                                    verdict.startedAt(),
                                    "startedAt");
                        }
                    },
                    () -> {
                        if (expected.has("messageContains")) {
                            String words = expected.get("messageContains").asText();
                            assertTrue(
                                    verdict.message() != null
                                            && verdict.message().contains(words),
                                    "the message names " + words + ": " + verdict.message());
                        }
                    });
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("io.stagewatch.testing.Fixtures#all")
        void fixturePodWaitsForItsContainersExactlyWhenItSaysSo(Fixture fixture) {
            Optional<StartWait> wait = PodClassifier.startWait(fixture.pod());

            JsonNode expected = fixture.expected();
            assertEquals(expected.has("waitingSince"), wait.isPresent(), "waiting for containers to start");
            if (expected.has("waitingSince")) {
                JsonNode since = expected.get("waitingSince");
                assertEquals(
                        since.isNull() ? null : Instant.parse(since.asText()),
                        wait.get().since(),
                        "waiting since");
                if (expected.has("messageContains")) {
                    assertTrue(
                            wait.get()
                                    .reason()
                                    .contains(expected.get("messageContains").asText()),
                            wait.get().reason());
                }
            }
        }
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    // ------------------------------------------------------------------ rule 1: phase Succeeded

    @Test
    void completedPodInPhaseSucceededIsSuccess() {
        assertSucceeded(classify(Pods.pod().succeeded()));
    }

    @Test
    void successCarriesWhenTheFirstContainerStartedAndTheLastFinished() {
        Verdict verdict = classify(Pods.pod().succeeded().container("report", exited(0, "Completed", FINISHED + 20)));

        assertSucceeded(verdict);
        assertEquals(Pods.T0.plusSeconds(STARTED), verdict.startedAt());
        assertEquals(Pods.T0.plusSeconds(FINISHED + 20), verdict.finishedAt());
    }

    @Test
    void allContainersExitedZeroInPhaseFailedIsUnknownFailure() {
        assertFailed(
                classify(Pods.pod().phase("Failed").container("main", exited(0, "Completed"))),
                INFRASTRUCTURE,
                UNKNOWN);
    }

    @Test
    void allContainersExitedZeroWhileThePhaseStillSaysRunningIsNotYetAVerdict() {
        assertStatus(
                classify(Pods.pod().phase("Running").container("main", exited(0, "Completed"))), RunStatus.RUNNING);
    }

    @Test
    void runningPodIsRunning() {
        assertStatus(classify(Pods.pod().running()), RunStatus.RUNNING);
    }

    @Test
    void pendingPodIsPending() {
        assertStatus(classify(Pods.pod().pending()), RunStatus.PENDING);
    }

    // ------------------------------------------------------------------ rule 2: status.reason empty

    @Test
    void succeededPhaseWithAnUnrecognisedStatusReasonIsNeverSuccess() {
        Verdict verdict =
                classify(Pods.pod().succeeded().reason("SomethingNew", "a reason no release has written yet"));

        assertFailed(verdict, INFRASTRUCTURE, UNKNOWN);
    }

    @ParameterizedTest(name = "status.reason {0} in phase Succeeded → {1}")
    @CsvSource({
        "Shutdown, NODE_SHUTDOWN",
        "Terminated, NODE_SHUTDOWN",
        "Evicted, EVICTED",
        "DeadlineExceeded, DEADLINE_EXCEEDED"
    })
    void succeededPhaseWithAKnownStatusReasonIsNeverSuccess(String reason, FailureReason expected) {
        assertFailed(classify(Pods.pod().succeeded().reason(reason, "killed")), expected.cause(), expected);
    }

    // ------------------------------------------------------------------ rule 3: no DisruptionTarget=True

    @Test
    void succeededPhaseWithShutdownDisruptionIsNeverSuccess() {
        // kubernetes#118310: the process exits 0 on SIGTERM, the kubelet computes phase Succeeded from exit codes
        Pod pod = Pods.pod()
                .succeeded()
                .disruption("TerminationByKubelet", SHUTDOWN_MESSAGE)
                .build();

        Verdict verdict = PodClassifier.classify(pod);

        assertNotEquals(RunStatus.SUCCEEDED, verdict.status());
        assertFailed(verdict, INFRASTRUCTURE, NODE_SHUTDOWN);
    }

    @Test
    void succeededPhaseWithShutdownDisruptionAndTerminatedReasonIsNodeShutdown() {
        Pod pod = Pods.pod()
                .succeeded()
                .reason("Terminated", SHUTDOWN_MESSAGE)
                .disruption("TerminationByKubelet", SHUTDOWN_MESSAGE)
                .build();

        assertFailed(PodClassifier.classify(pod), INFRASTRUCTURE, NODE_SHUTDOWN);
    }

    @Test
    void disruptionTargetResetToFalseDoesNotBlockSuccess() {
        Pod pod = Pods.pod()
                .succeeded()
                .condition("DisruptionTarget", "False", "EvictionByEvictionAPI", "Eviction API: evicting")
                .build();

        assertSucceeded(PodClassifier.classify(pod));
    }

    @Test
    void disruptionTargetIsMatchedByTypeWhateverItsReason() {
        assertFailed(
                classify(Pods.pod().succeeded().disruption("SomeFutureController", null)), INFRASTRUCTURE, DISRUPTED);
    }

    @Test
    void disruptionTargetWithoutAnyReasonIsDisrupted() {
        assertFailed(classify(Pods.pod().failed(143).disruption(null, null)), INFRASTRUCTURE, DISRUPTED);
    }

    // ------------------------------------------------------------------ rule 4: every required container exited 0

    @Test
    void succeededPodWhoseMainContainerReportsNoStatusIsUnknownFailure() {
        assertFailed(classify(Pods.pod().phase("Succeeded").container("main", null)), INFRASTRUCTURE, UNKNOWN);
    }

    @Test
    void succeededPodWhoseMainContainerIsStillRunningIsUnknownFailure() {
        assertFailed(
                classify(Pods.pod().phase("Succeeded").container("main", runningSince(at(STARTED)))),
                INFRASTRUCTURE,
                UNKNOWN);
    }

    @Test
    void succeededPodWhoseMainContainerIsWaitingIsUnknownFailure() {
        assertFailed(
                classify(Pods.pod().phase("Succeeded").container("main", waiting("ContainerCreating"))),
                INFRASTRUCTURE,
                UNKNOWN);
    }

    @ParameterizedTest(name = "second container {0} in phase {1}")
    @MethodSource("unfinishedStates")
    void terminalPodWithOneRequiredContainerNotTerminatedIsNeverSuccess(String state, String phase) {
        Pod pod = Pods.pod()
                .phase(phase)
                .container("main", exited(0, "Completed"))
                .container("report", unfinished(state))
                .build();

        assertFailed(PodClassifier.classify(pod), INFRASTRUCTURE, UNKNOWN);
    }

    static Stream<Arguments> unfinishedStates() {
        return Stream.of("missing", "running", "waiting")
                .flatMap(state -> Stream.of("Succeeded", "Failed").map(phase -> Arguments.of(state, phase)));
    }

    private static ContainerState unfinished(String state) {
        return switch (state) {
            case "missing" -> null;
            case "running" -> runningSince(at(STARTED));
            case "waiting" -> waiting("PodInitializing");
            default -> throw new IllegalArgumentException(state);
        };
    }

    @Test
    void failedPhaseWithMainContainerStillRunningIsNeverSuccess() {
        // devtron#6371: the ported inferFailedReason fell through to Succeeded for this pod
        Verdict verdict = classify(Pods.pod().phase("Failed").container("main", runningSince(at(STARTED))));

        assertNotEquals(RunStatus.SUCCEEDED, verdict.status());
        assertFailed(verdict, INFRASTRUCTURE, UNKNOWN);
    }

    @Test
    void exitZeroWithOomKilledReasonIsOomKilled() {
        assertFailed(
                classify(Pods.pod().phase("Succeeded").container("main", exited(0, "OOMKilled"))),
                WORKLOAD,
                OOM_KILLED);
    }

    @Test
    void oomKilledWithExitCodeIsOomKilledNotExitCode() {
        assertFailed(
                classify(Pods.pod().phase("Failed").container("main", exited(137, "OOMKilled"))), WORKLOAD, OOM_KILLED);
    }

    @Test
    void exitZeroWithErrorReasonIsNeverSuccess() {
        // docs/classification.md, success rule 4, excludes reason Error whatever the exit code; the reason such a pod
        // gets (UNKNOWN, "Signals, strongest first", point 6) is asserted on the fixture 16-exit-zero-reason-error
        Verdict verdict = classify(Pods.pod().phase("Succeeded").container("main", exited(0, "Error")));

        assertEquals(RunStatus.FAILED, verdict.status());
    }

    @Test
    void nonZeroExitIsExitCodeFailure() {
        assertFailed(classify(Pods.pod().failed(1)), WORKLOAD, EXIT_CODE);
    }

    @Test
    void oneNonZeroExitAmongSeveralContainersIsExitCodeFailure() {
        Pod pod = Pods.pod()
                .phase("Failed")
                .container("main", exited(0, "Completed"))
                .container("report", exited(3, "Error"))
                .build();

        assertFailed(PodClassifier.classify(pod), WORKLOAD, EXIT_CODE);
    }

    @Test
    void containerStatusUnknownIsContainerLost() {
        assertFailed(
                classify(Pods.pod().phase("Failed").container("main", exited(137, "ContainerStatusUnknown"))),
                INFRASTRUCTURE,
                CONTAINER_LOST);
    }

    @Test
    void containerStatusUnknownWithExitZeroInPhaseSucceededIsContainerLost() {
        assertFailed(
                classify(Pods.pod().phase("Succeeded").container("main", exited(0, "ContainerStatusUnknown"))),
                INFRASTRUCTURE,
                CONTAINER_LOST);
    }

    // ------------------------------------------------------------------ init containers and native sidecars

    @Test
    void nativeSidecarStillRunningInSucceededPodIsSuccess() {
        Pod pod = Pods.pod()
                .succeeded()
                .sidecar("proxy", runningSince(at(STARTED)))
                .build();

        assertSucceeded(PodClassifier.classify(pod));
    }

    @Test
    void nativeSidecarKilledAfterTheMainContainerFinishedIsSuccess() {
        Pod pod = Pods.pod()
                .succeeded()
                .sidecar("proxy", exited(143, "Error", FINISHED + 2))
                .build();

        assertSucceeded(PodClassifier.classify(pod));
    }

    @Test
    void completedInitContainerAndCompletedMainContainerIsSuccess() {
        Pod pod = Pods.pod()
                .succeeded()
                .initContainer("checkout", exited(0, "Completed", STARTED + 10))
                .build();

        assertSucceeded(PodClassifier.classify(pod));
    }

    @Test
    void failedRegularInitContainerIsInitFailed() {
        Pod pod = Pods.pod()
                .phase("Failed")
                .initContainer("checkout", exited(128, "Error", STARTED + 10))
                .container("main", waiting("PodInitializing"))
                .build();

        assertFailed(PodClassifier.classify(pod), WORKLOAD, INIT_FAILED);
    }

    @Test
    void regularInitContainerWithoutStatusInSucceededPodIsNeverSuccess() {
        Pod pod = Pods.pod().succeeded().initContainer("checkout", null).build();

        assertFailed(PodClassifier.classify(pod), INFRASTRUCTURE, UNKNOWN);
    }

    // ------------------------------------------------------------------ rule 5: deletion not requested before the end

    @Test
    void deletionRequestedBeforeContainersFinishedIsPodDeleted() {
        // requested 10 s before the container finished, deletionTimestamp (request + 30 s grace) 20 s after it
        Pod pod = Pods.pod().succeeded().deletionRequested(FINISHED - 10, 30).build();

        assertFailed(PodClassifier.classify(pod), INFRASTRUCTURE, POD_DELETED);
    }

    @Test
    void deletionRequestedAfterContainersFinishedIsStillSuccess() {
        Pod pod = Pods.pod().succeeded().deletionRequested(FINISHED + 10, 30).build();

        assertSucceeded(PodClassifier.classify(pod));
    }

    @Test
    void deletionRequestedAfterContainersFinishedWithoutGraceIsStillSuccess() {
        Pod pod = Pods.pod().succeeded().deletion(at(FINISHED + 10), null).build();

        assertSucceeded(PodClassifier.classify(pod));
    }

    @Test
    void runningPodBeingDeletedIsPodDeleted() {
        Pod pod = Pods.pod().running().deletionRequested(FINISHED, 30).build();

        assertFailed(PodClassifier.classify(pod), INFRASTRUCTURE, POD_DELETED);
    }

    @Test
    void pendingPodBeingDeletedIsPodDeleted() {
        Pod pod = Pods.pod().pending().deletionRequested(STARTED, 30).build();

        assertFailed(PodClassifier.classify(pod), INFRASTRUCTURE, POD_DELETED);
    }

    // ------------------------------------------------------------------ DisruptionTarget reasons

    @ParameterizedTest(name = "{0} ({1}) on {3} → {2}")
    @MethodSource("disruptions")
    void disruptionTargetNamesTheFailure(String reason, String message, FailureReason expected, String pod) {
        Verdict verdict = classify(disruptedPod(pod).disruption(reason, message));

        assertFailed(verdict, INFRASTRUCTURE, expected);
    }

    static Stream<Arguments> disruptions() {
        List<Arguments> mappings = List.of(
                Arguments.of("TerminationByKubelet", SHUTDOWN_MESSAGE, NODE_SHUTDOWN),
                Arguments.of("TerminationByKubelet", PRESSURE_MESSAGE, EVICTED),
                Arguments.of("EvictionByEvictionAPI", "Eviction API: evicting", EVICTED),
                Arguments.of("PreemptionByScheduler", "Preempted in order to admit critical pod", PREEMPTED),
                Arguments.of("DeletionByPodGC", "PodGC: node no longer exists", NODE_LOST),
                Arguments.of("DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint", NODE_LOST),
                Arguments.of("DeletionByDeviceTaintManager", "Device taint manager: deleting", DISRUPTED));
        return mappings.stream()
                .flatMap(mapping -> Stream.of(
                                "Succeeded with exit 0", "Failed with exit 143", "Running while being deleted")
                        .map(pod -> Arguments.of(mapping.get()[0], mapping.get()[1], mapping.get()[2], pod)));
    }

    private static Pods disruptedPod(String kind) {
        return switch (kind) {
            case "Succeeded with exit 0" -> Pods.pod().succeeded();
            case "Failed with exit 143" -> Pods.pod().failed(143);
            case "Running while being deleted" -> Pods.pod().running().deletionRequested(FINISHED, 30);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @Test
    void disruptionTargetOutranksTheStatusReason() {
        Pod pod = Pods.pod()
                .failed(137)
                .reason("DeadlineExceeded", "Pod was active on the node longer than the specified deadline")
                .disruption("DeletionByPodGC", "PodGC: node no longer exists")
                .build();

        assertFailed(PodClassifier.classify(pod), INFRASTRUCTURE, NODE_LOST);
    }

    @Test
    void disruptionTargetOutranksContainerStatusUnknown() {
        Pod pod = Pods.pod()
                .phase("Failed")
                .container("main", exited(137, "ContainerStatusUnknown"))
                .disruption("PreemptionByScheduler", "Preempted in order to admit critical pod")
                .build();

        assertFailed(PodClassifier.classify(pod), INFRASTRUCTURE, PREEMPTED);
    }

    @Test
    void disruptionTargetOnRunningPodNotBeingDeletedStaysRunning() {
        // an eviction blocked by a PodDisruptionBudget leaves the condition behind until the controller resets it
        Pod pod = Pods.pod()
                .running()
                .disruption("EvictionByEvictionAPI", "Eviction API: evicting")
                .build();

        Verdict verdict = PodClassifier.classify(pod);

        assertStatus(verdict, RunStatus.RUNNING);
    }

    @Test
    void disruptionTargetOnPendingPodNotBeingDeletedStaysPending() {
        Pod pod = Pods.pod()
                .pending()
                .disruption("EvictionByEvictionAPI", "Eviction API: evicting")
                .build();

        assertStatus(PodClassifier.classify(pod), RunStatus.PENDING);
    }

    // ------------------------------------------------------------------ status.reason

    @ParameterizedTest(name = "status.reason {0} in phase {2} → {1}")
    @MethodSource("statusReasons")
    void statusReasonNamesTheFailureWhateverThePhase(String reason, FailureReason expected, String phase) {
        Pods pod = switch (phase) {
            case "Failed" -> Pods.pod().failed(137);
            case "Running" -> Pods.pod().running(); // older Kubernetes left such pods in phase Running
            case "Pending" -> Pods.pod().phase("Pending").container("main", null);
            default -> throw new IllegalArgumentException(phase);
        };

        assertFailed(classify(pod.reason(reason, "message of " + reason)), expected.cause(), expected);
    }

    static Stream<Arguments> statusReasons() {
        List<Arguments> mappings = List.of(
                Arguments.of("Shutdown", NODE_SHUTDOWN),
                Arguments.of("Terminated", NODE_SHUTDOWN),
                Arguments.of("NodeShutdown", NODE_SHUTDOWN),
                Arguments.of("Evicted", EVICTED),
                Arguments.of("Preempting", PREEMPTED),
                Arguments.of("NodeLost", NODE_LOST),
                Arguments.of("DeadlineExceeded", DEADLINE_EXCEEDED),
                Arguments.of("OutOfcpu", ADMISSION_REJECTED),
                Arguments.of("OutOfmemory", ADMISSION_REJECTED),
                Arguments.of("OutOfnvidia.com/gpu", ADMISSION_REJECTED),
                Arguments.of("NodeAffinity", ADMISSION_REJECTED),
                Arguments.of("UnexpectedAdmissionError", ADMISSION_REJECTED));
        return mappings.stream()
                .flatMap(mapping -> Stream.of("Failed", "Running", "Pending")
                        .map(phase -> Arguments.of(mapping.get()[0], mapping.get()[1], phase)));
    }

    @Test
    void evictedReasonOnAPodStillInPhaseRunningIsEvicted() {
        Pod pod = Pods.pod()
                .running()
                .reason("Evicted", "The node was low on resource: ephemeral-storage.")
                .build();

        assertFailed(PodClassifier.classify(pod), INFRASTRUCTURE, EVICTED);
    }

    @Test
    void deadlineExceededIsAWorkloadFailure() {
        Pod pod = Pods.pod()
                .phase("Failed")
                .container("main", runningSince(at(STARTED)))
                .reason("DeadlineExceeded", "Pod was active on the node longer than the specified deadline")
                .build();

        assertFailed(PodClassifier.classify(pod), WORKLOAD, DEADLINE_EXCEEDED);
    }

    @Test
    void admissionRejectionWithoutAnyContainerStatusIsAdmissionRejected() {
        Pod pod = Pods.pod()
                .phase("Failed")
                .container("main", null)
                .reason("OutOfcpu", "Node didn't have enough resource: cpu, requested: 4000, used: 0, capacity: 2000")
                .build();

        assertFailed(PodClassifier.classify(pod), INFRASTRUCTURE, ADMISSION_REJECTED);
    }

    // ------------------------------------------------------------------ DELETED events

    @Test
    void deletedWhileRunningIsPodDeleted() {
        assertFailed(PodClassifier.classifyDeleted(Pods.pod().running().build()), INFRASTRUCTURE, POD_DELETED);
    }

    @Test
    void deletedWhilePendingIsPodDeleted() {
        assertFailed(PodClassifier.classifyDeleted(Pods.pod().pending().build()), INFRASTRUCTURE, POD_DELETED);
    }

    @Test
    void deletedAfterSuccessIsStillSuccess() {
        assertSucceeded(PodClassifier.classifyDeleted(Pods.pod().succeeded().build()));
    }

    @Test
    void deletedAfterSuccessWithDeletionRequestedLaterIsStillSuccess() {
        assertSucceeded(PodClassifier.classifyDeleted(
                Pods.pod().succeeded().deletionRequested(FINISHED + 60, 0).build()));
    }

    @Test
    void deletedAfterANonZeroExitKeepsTheExitCode() {
        assertFailed(PodClassifier.classifyDeleted(Pods.pod().failed(2).build()), WORKLOAD, EXIT_CODE);
    }

    @Test
    void deletedAfterAShutdownKeepsTheShutdown() {
        Pod pod = Pods.pod()
                .succeeded()
                .disruption("TerminationByKubelet", SHUTDOWN_MESSAGE)
                .build();

        assertFailed(PodClassifier.classifyDeleted(pod), INFRASTRUCTURE, NODE_SHUTDOWN);
    }

    @Test
    void deletedPodWhoseLastKnownStateCarriesADisruptionTargetKeepsTheDisruption() {
        // e.g. deletedFinalStateUnknown after the taint manager marked the pod: once the pod is gone its deletion has
        // certainly started, so DisruptionTarget=True is a verdict, and docs/classification.md ranks it above
        // POD_DELETED
        Pod pod = Pods.pod()
                .running()
                .disruption("DeletionByTaintManager", "Taint manager: deleting")
                .build();

        assertFailed(PodClassifier.classifyDeleted(pod), INFRASTRUCTURE, NODE_LOST);
    }

    // ------------------------------------------------------------------ malformed pods

    @Test
    void podWithoutStatusIsMalformed() {
        assertMalformed(() ->
                PodClassifier.classify(Pods.pod().succeeded().withoutStatus().build()));
    }

    @Test
    void podWithoutContainersIsMalformed() {
        assertMalformed(
                () -> PodClassifier.classify(Pods.pod().phase("Succeeded").build()));
    }

    @Test
    void podWithoutSpecIsMalformed() {
        Pod pod = Pods.pod().succeeded().build();
        pod.setSpec(null);

        assertMalformed(() -> PodClassifier.classify(pod));
    }

    @Test
    void unparseableFinishedAtIsMalformed() {
        Pod pod = Pods.pod()
                .phase("Succeeded")
                .container("main", exited(0, "Completed", at(STARTED), "yesterday"))
                .build();

        assertMalformed(() -> PodClassifier.classify(pod));
    }

    @Test
    void unparseableDeletionTimestampIsMalformed() {
        Pod pod = Pods.pod().running().deletion("soon", 30L).build();

        assertMalformed(() -> PodClassifier.classify(pod));
    }

    @Test
    void deletedMalformedPodIsMalformedToo() {
        assertMalformed(() -> PodClassifier.classifyDeleted(
                Pods.pod().running().withoutStatus().build()));
    }

    // ------------------------------------------------------------------ reasons and causes

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "EXIT_CODE, WORKLOAD",
        "OOM_KILLED, WORKLOAD",
        "INIT_FAILED, WORKLOAD",
        "DEADLINE_EXCEEDED, WORKLOAD",
        "START_TIMEOUT, WORKLOAD",
        "CANCELLED, WORKLOAD",
        "PLATFORM_FAILED, WORKLOAD",
        "NODE_SHUTDOWN, INFRASTRUCTURE",
        "NODE_LOST, INFRASTRUCTURE",
        "EVICTED, INFRASTRUCTURE",
        "PREEMPTED, INFRASTRUCTURE",
        "DISRUPTED, INFRASTRUCTURE",
        "ADMISSION_REJECTED, INFRASTRUCTURE",
        "CONTAINER_LOST, INFRASTRUCTURE",
        "POD_DELETED, INFRASTRUCTURE",
        "POD_VANISHED, INFRASTRUCTURE",
        "UNKNOWN, INFRASTRUCTURE",
        "PLATFORM_STUCK, INFRASTRUCTURE"
    })
    void everyReasonBelongsToTheCauseTheDesignNames(FailureReason reason, FailureCause cause) {
        assertEquals(cause, reason.cause());
    }

    @ParameterizedTest
    @ValueSource(strings = {"PENDING", "RUNNING", "SUCCEEDED"})
    void onlyFailedVerdictsCarryAReason(RunStatus status) {
        assertThrows(IllegalArgumentException.class, () -> new Verdict(status, EXIT_CODE, null, null, null));
    }

    @Test
    void failedVerdictWithoutAReasonCannotBeMade() {
        assertThrows(IllegalArgumentException.class, () -> new Verdict(RunStatus.FAILED, null, null, null, null));
    }

    // ------------------------------------------------------------------ helpers

    private static Verdict classify(Pods pod) {
        return PodClassifier.classify(pod.build());
    }

    private static void assertSucceeded(Verdict verdict) {
        assertAll(
                () -> assertEquals(
                        RunStatus.SUCCEEDED, verdict.status(), () -> "status; message: " + verdict.message()),
                () -> assertNull(verdict.reason(), "reason"),
                () -> assertNull(verdict.cause(), "cause"));
    }

    private static void assertStatus(Verdict verdict, RunStatus status) {
        assertAll(
                () -> assertEquals(status, verdict.status(), () -> "status; message: " + verdict.message()),
                () -> assertNull(verdict.reason(), "reason"));
    }

    private static void assertFailed(Verdict verdict, FailureCause cause, FailureReason reason) {
        assertAll(
                () -> assertEquals(RunStatus.FAILED, verdict.status(), "status"),
                () -> assertEquals(reason, verdict.reason(), () -> "reason; message: " + verdict.message()),
                () -> assertEquals(cause, verdict.cause(), "cause"));
    }

    private static void assertMalformed(Executable classification) {
        MalformedPodException e = assertThrows(MalformedPodException.class, classification);
        assertTrue(e.problem() != null && !e.problem().isBlank(), "problem() must name what is wrong");
    }
}
