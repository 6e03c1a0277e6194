package io.stagewatch.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code kubectl kustomize} of a directory of k8s/, parsed. Without kubectl on the PATH the calling test is skipped
 * and says so (kubectl embeds Kustomize; the machines this project runs on have it).
 */
final class Kustomize {

    private static final String KUBECTL = System.getenv().getOrDefault("KUBECTL", "kubectl");

    private Kustomize() {}

    /** The objects {@code kubectl kustomize dir} renders. */
    static List<HasMetadata> render(Path dir) {
        assumeTrue(
                available(),
                "kubectl is not installed (" + KUBECTL + " version --client failed): the Kustomize renders of k8s/ are"
                        + " NOT checked; install kubectl (it embeds Kustomize) to check them");
        String yaml = run(KUBECTL, "kustomize", dir.toString());
        return parse(yaml);
    }

    /** The objects of a multi-document YAML text, without empty documents. */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (!document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
                objects.add(Serialization.unmarshal(document));
            }
        }
        return objects;
    }

    private static boolean available() {
        try {
            Process process = new ProcessBuilder(KUBECTL, "version", "--client")
                    .redirectErrorStream(true)
                    .start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: see its output above");
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
