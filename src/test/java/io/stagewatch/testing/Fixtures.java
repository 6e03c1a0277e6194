package io.stagewatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Pod;

/** The shared pod fixtures, each with the verdict it must get. */
public final class Fixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /**
     * @param event    MODIFIED or DELETED: how the pod's final state reaches stagewatch
     * @param status   the expected status; cause and reason are null unless FAILED
     */
    public record Fixture(String file, String event, Pod pod, String status, String cause, String reason) {

        @Override
        public String toString() {
            return file;
        }
    }

    /** The fixture directory: {@code stagewatch.fixtures}, else {@code ../shared/fixtures/pods}. */
    public static Path directory() {
        return Path.of(System.getProperty("stagewatch.fixtures", "../shared/fixtures/pods"));
    }

    public static List<Fixture> all() {
        try (Stream<Path> files = Files.list(directory())) {
            List<Fixture> fixtures = files.filter(f -> f.toString().endsWith(".json")).sorted().map(Fixtures::read).toList();
            if (fixtures.isEmpty()) {
                throw new IllegalStateException("no fixtures in " + directory().toAbsolutePath());
            }
            return fixtures;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Fixture read(Path file) {
        try {
            JsonNode node = JSON.readTree(file.toFile());
            JsonNode expected = node.get("expected");
            Pod pod = JSON.treeToValue(node.get("pod"), Pod.class);
            return new Fixture(file.getFileName().toString(), node.get("event").asText(), pod,
                    expected.get("status").asText(), text(expected, "cause"), text(expected, "reason"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
