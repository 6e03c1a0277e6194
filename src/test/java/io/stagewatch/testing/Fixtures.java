package io.stagewatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Pod;

/** The pod fixtures of src/test/resources/fixtures/pods, each with the verdict it must get. */
public final class Fixtures {

    private static final String DIRECTORY = "/fixtures/pods";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /**
     * @param event    MODIFIED or DELETED: how the pod's final state reaches stagewatch
     * @param status   the expected status; cause and reason are null unless FAILED
     * @param expected every expectation of the file, including the optional ones: {@code startedAt},
     *                 {@code messageContains} (the verdict's message), {@code waitingSince} (present when the pod waits
     *                 for its containers to start: since when, or null for "since first seen")
     */
    public record Fixture(String file, String description, String event, Pod pod, String status, String cause,
            String reason, JsonNode expected) {

        @Override
        public String toString() {
            return file;
        }
    }

    public static List<Fixture> all() {
        try (Stream<Path> files = Files.list(directory())) {
            List<Fixture> fixtures = files.filter(f -> f.toString().endsWith(".json")).sorted().map(Fixtures::read).toList();
            if (fixtures.isEmpty()) {
                throw new IllegalStateException("no fixtures in " + DIRECTORY + " on the test classpath");
            }
            return fixtures;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory() {
        URL url = Fixtures.class.getResource(DIRECTORY);
        if (url == null) {
            throw new IllegalStateException(DIRECTORY + " is not on the test classpath");
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
            return new Fixture(file.getFileName().toString(), node.path("description").asText(), node.get("event").asText(),
                    pod, expected.get("status").asText(), text(expected, "cause"), text(expected, "reason"), expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
