package io.stagewatch.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The pod fixtures of src/test/resources/fixtures: {@code pods} (stagewatch's own labels) and {@code platforms} (pods
 * as Devtron, Argo Workflows, Tekton and Kubernetes Jobs make them), each with the verdict it must get; and
 * {@code workflows}: a platform's workflow object with its pods, and the workflow verdict they must get.
 */
public final class Fixtures {

    private static final String PODS = "/fixtures/pods";
    private static final String PLATFORMS = "/fixtures/platforms";
    private static final String WORKFLOWS = "/fixtures/workflows";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {}

    /**
     * @param event    MODIFIED or DELETED: how the pod's final state reaches stagewatch
     * @param status   the expected status (null for a pod that is no run); cause and reason are null unless FAILED
     * @param expected every expectation of the file, including the optional ones: {@code startedAt},
     *                 {@code messageContains} (the verdict's message), {@code waitingSince} (present when the pod waits
     *                 for its containers to start: since when, or null for "since first seen"); for platform pods
     *                 {@code platform}, {@code stage}, {@code workflow}, {@code pipeline}, {@code app},
     *                 {@code environment}, or {@code skipped}: the problem counted for a pod that is skipped, or
     *                 {@code "not-claimed"} for a pod no profile takes as a run
     */
    public record Fixture(
            String file,
            String description,
            String event,
            Pod pod,
            String status,
            String cause,
            String reason,
            JsonNode expected) {

        /** Waits until the API shows the run {@code uid} with this fixture's status, cause and reason. */
        public void awaitVerdict(String uid, Duration wait) {
            await().atMost(wait)
                    .untilAsserted(() -> given().get("/api/runs/{uid}", uid)
                            .then()
                            .statusCode(200)
                            .body("status", equalTo(status))
                            .body("cause", equalTo(cause))
                            .body("reason", equalTo(reason)));
        }

        @Override
        public String toString() {
            return file;
        }
    }

    /** A pod of a workflow fixture, and how its final state reaches stagewatch: MODIFIED or DELETED. */
    public record WorkflowPod(String event, Pod pod) {}

    /**
     * @param platform the profile whose pods they are
     * @param object   the workflow object as the API server holds it at {@code now}; null when it is gone
     * @param taskRuns a Tekton PipelineRun's TaskRuns, which hold the status of its tasks; else empty
     * @param expected {@code status}, {@code cause}, {@code reason}, {@code platformStatus}, {@code contradiction},
     *                 {@code infrastructureRetries}, optionally {@code messageContains}
     */
    public record WorkflowFixture(
            String file,
            String description,
            String platform,
            JsonNode object,
            List<JsonNode> taskRuns,
            List<WorkflowPod> pods,
            Instant now,
            JsonNode expected) {

        @Override
        public String toString() {
            return file;
        }
    }

    /** Workflow objects with their pods, as the platforms make them. */
    public static List<WorkflowFixture> workflows() {
        return files(WORKFLOWS).stream().map(Fixtures::readWorkflow).toList();
    }

    /** Checks the expectation {@code messageContains}, when the fixture has one. */
    public static void assertMessageContains(JsonNode expected, String message) {
        if (expected.has("messageContains")) {
            String part = expected.get("messageContains").asText();
            if (message == null || !message.contains(part)) {
                throw new AssertionError("the message contains '" + part + "': " + message);
            }
        }
    }

    /** The pods with stagewatch's own labels. */
    public static List<Fixture> all() {
        return in(PODS);
    }

    /** The pods of the platforms, as their controllers make them. */
    public static List<Fixture> platforms() {
        return in(PLATFORMS);
    }

    private static List<Fixture> in(String directory) {
        return files(directory).stream().map(Fixtures::read).toList();
    }

    private static List<Path> files(String directory) {
        try (Stream<Path> files = Files.list(directory(directory))) {
            List<Path> fixtures =
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            if (fixtures.isEmpty()) {
                throw new IllegalStateException("no fixtures in " + directory + " on the test classpath");
            }
            return fixtures;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory(String directory) {
        URL url = Fixtures.class.getResource(directory);
        if (url == null) {
            throw new IllegalStateException(directory + " is not on the test classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url.toString(), e);
        }
    }

    private static Fixture read(Path file) {
        try {
            JsonNode node = JSON.readTree(file.toFile());
            JsonNode expected = node.get("expected");
            Pod pod = JSON.treeToValue(node.get("pod"), Pod.class);
            return new Fixture(
                    file.getFileName().toString(),
                    node.path("description").asText(),
                    node.get("event").asText(),
                    pod,
                    text(expected, "status"),
                    text(expected, "cause"),
                    text(expected, "reason"),
                    expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static WorkflowFixture readWorkflow(Path file) {
        try {
            JsonNode node = JSON.readTree(file.toFile());
            List<WorkflowPod> pods = new ArrayList<>();
            for (JsonNode pod : node.get("pods")) {
                pods.add(new WorkflowPod(pod.get("event").asText(), JSON.treeToValue(pod.get("pod"), Pod.class)));
            }
            List<JsonNode> taskRuns = new ArrayList<>();
            node.path("taskRuns").forEach(taskRuns::add);
            return new WorkflowFixture(
                    file.getFileName().toString(),
                    node.path("description").asText(),
                    node.get("platform").asText(),
                    node.get("object").isNull() ? null : node.get("object"),
                    taskRuns,
                    pods,
                    Instant.parse(node.get("now").asText()),
                    node.get("expected"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
