package io.stagewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus' own checker, Debian's {@code promtool} (package {@code prometheus}; scripts/ensure-promtool.sh installs
 * it). A test that needs it is skipped where it is missing, except in CI (env {@code CI} set), where it fails: there
 * the check must run.
 */
final class Promtool {

    private static final Path DEFAULT = Path.of("/usr/bin/promtool");

    /** What promtool answered: its exit code and its output, stdout and stderr together. */
    record Result(int exitCode, String output) {}

    private Promtool() {}

    /** The promtool binary; skips the calling test when there is none and this is not CI. */
    static Path require() {
        Path promtool = Files.isExecutable(DEFAULT) ? DEFAULT : onPath();
        boolean ci = System.getenv("CI") != null && !System.getenv("CI").isBlank();
        if (ci) {
            assertTrue(promtool != null, "promtool is missing in CI: scripts/ensure-promtool.sh installs it");
        }
        assumeTrue(promtool != null, "promtool is not installed (scripts/ensure-promtool.sh installs it)");
        return promtool;
    }

    /** Runs {@code promtool args...} with {@code stdin} (may be null), within a minute. */
    static Result run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(require().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(1, TimeUnit.MINUTES), "promtool ended");
        return new Result(process.exitValue(), output);
    }

    private static Path onPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "promtool");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
