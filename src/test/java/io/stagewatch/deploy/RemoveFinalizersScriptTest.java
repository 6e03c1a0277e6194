package io.stagewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/remove-finalizers.sh (make uninstall's release of held pods) against a kubectl that records its calls: it
 * selects the pods by stagewatch's held label, whatever their platform, calls the kubectl of KUBECTL, lists each
 * namespace of NAMESPACES, and patches off the finalizer at the index it was listed at and the label.
 */
class RemoveFinalizersScriptTest {

    @TempDir
    Path dir;

    @Test
    void releasesEveryPodLabelledHeldThroughTheKubectlOfKubectl() throws IOException, InterruptedException {
        Path calls = dir.resolve("calls");
        Path kubectl = dir.resolve("kubectl");
        Files.writeString(kubectl, """
                #!/usr/bin/env bash
                echo "$*" >> %s
                case "$*" in
                  *"get pods"*)
                    case "$*" in
                      *--namespace=ci*) printf '%%s\\n' 'ci argo-pod ["example.org/keep","stagewatch.io/status-capture"]' ;;
                      *--namespace=deploy*) printf '%%s\\n' 'deploy label-only ' ;;
                    esac ;;
                esac
                """.formatted(calls));
        Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwxr-xr-x"));

        ProcessBuilder builder = new ProcessBuilder("bash", "scripts/remove-finalizers.sh").redirectErrorStream(true);
        builder.environment().put("KUBECTL", kubectl + " --context test");
        builder.environment().put("NAMESPACES", "ci deploy");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);

        List<String> lines = Files.readAllLines(calls);
        assertTrue(
                lines.stream()
                        .filter(line -> line.contains(" get pods"))
                        .allMatch(line ->
                                line.startsWith("--context test get pods") && line.contains("-l stagewatch.io/held")),
                "lists by the held label with the kubectl of KUBECTL: " + lines);
        assertContains(
                lines,
                "--context test patch pod -n ci argo-pod --type=json -p "
                        + "[{\"op\":\"remove\",\"path\":\"/metadata/labels/stagewatch.io~1held\"},"
                        + "{\"op\":\"test\",\"path\":\"/metadata/finalizers/1\",\"value\":\"stagewatch.io/status-capture\"},"
                        + "{\"op\":\"remove\",\"path\":\"/metadata/finalizers/1\"}]");
        assertContains(
                lines,
                "--context test patch pod -n deploy label-only --type=json -p "
                        + "[{\"op\":\"remove\",\"path\":\"/metadata/labels/stagewatch.io~1held\"}]");
        assertEquals(4, lines.size(), "two lists, two patches: " + lines);
        assertTrue(output.contains("released 2 pods"), output);
    }

    private static void assertContains(List<String> calls, String call) {
        assertTrue(calls.contains(call), call + " in " + calls);
    }
}
