package io.stagewatch.kube;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The command {@value #COMMAND} ({@link Main}): releases every pod that stagewatch holds, whatever its platform, for an
 * uninstall. It lists the pods labelled {@value StatusCaptureFinalizer#HELD_LABEL} (in every namespace, or in each of
 * {@code STAGEWATCH_NAMESPACES} when set, so that namespaced Roles suffice) and removes the finalizer
 * {@value StatusCaptureFinalizer#NAME} and the label from each, pass after pass until a pass finds nothing held (a
 * patch that lost a race with another writer is tried again on the next pass). Before the first pass it can wait for
 * the stagewatch instances to be gone ({@value #WAIT_FOR}: a label selector of their pods in {@code POD_NAMESPACE}),
 * so that no instance holds a pod again behind it. It is made before Quarkus starts: it opens no database connection
 * and starts no informer, scheduler or outbox.
 */
final class ReleaseFinalizers {

    static final String COMMAND = "release-finalizers";
    /** The environment variable naming the label selector of the instance pods to wait for (the chart's hook sets it). */
    static final String WAIT_FOR = "STAGEWATCH_RELEASE_WAIT_FOR";

    private static final int PAGE_SIZE = 500;
    private static final int MAX_PASSES = 30;

    private final KubernetesClient client;
    private final Map<String, String> env;
    private final PrintStream out;
    private final Duration pause;
    private final Duration waitAtMost;

    /**
     * @param env        the environment: {@code STAGEWATCH_NAMESPACES} (comma-separated; unset or empty: every
     *                   namespace), {@value #WAIT_FOR} and {@code POD_NAMESPACE} (unset: no wait)
     * @param pause      between two passes, and between two looks for instance pods
     * @param waitAtMost how long to wait for the instance pods to go; then it releases anyway
     */
    ReleaseFinalizers(
            KubernetesClient client, Map<String, String> env, PrintStream out, Duration pause, Duration waitAtMost) {
        this.client = client;
        this.env = env;
        this.out = out;
        this.pause = pause;
        this.waitAtMost = waitAtMost;
    }

    /**
     * Waits for the instances, then releases until a pass finds nothing held.
     *
     * @return the process's exit code: 0 when nothing is held any more, 1 when the API server refused a list or pods
     *     stayed held through every pass
     */
    int run() throws InterruptedException {
        try {
            awaitInstancesGone();
            int released = 0;
            for (int pass = 1; pass <= MAX_PASSES; pass++) {
                Pass result = pass();
                released += result.released();
                if (result.held() == 0) {
                    out.printf("%s: released %d pods%n", COMMAND, released);
                    return 0;
                }
                Thread.sleep(pause.toMillis());
            }
            out.printf(
                    "%s: released %d pods; some stayed held through %d passes (see the messages above)%n",
                    COMMAND, released, MAX_PASSES);
            return 1;
        } catch (KubernetesClientException e) {
            out.printf("%s: the API server refused: %s%n", COMMAND, e.getMessage());
            return 1;
        }
    }

    /** How many held pods a pass found, and how many of them it released. */
    private record Pass(int held, int released) {}

    private Pass pass() {
        List<String> namespaces = namespaces();
        if (namespaces.isEmpty()) {
            return pass(client.pods().inAnyNamespace());
        }
        int held = 0;
        int released = 0;
        for (String namespace : namespaces) {
            Pass pass = pass(client.pods().inNamespace(namespace));
            held += pass.held();
            released += pass.released();
        }
        return new Pass(held, released);
    }

    private Pass pass(AnyNamespaceOperation<Pod, PodList, PodResource> pods) {
        int held = 0;
        int released = 0;
        String token = null;
        do {
            var options = new ListOptionsBuilder()
                    .withLimit((long) PAGE_SIZE)
                    .withContinue(token)
                    .build();
            PodList page = pods.withLabel(StatusCaptureFinalizer.HELD_LABEL).list(options);
            for (Pod pod : page.getItems()) {
                held++;
                if (release(pod.getMetadata())) {
                    released++;
                }
            }
            token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (token != null && !token.isEmpty());
        return new Pass(held, released);
    }

    private boolean release(ObjectMeta meta) {
        try {
            client.pods()
                    .inNamespace(meta.getNamespace())
                    .withName(meta.getName())
                    .patch(PatchContext.of(PatchType.JSON), FinalizerPatches.release(meta));
            return true;
        } catch (KubernetesClientException e) {
            // gone meanwhile (404), or changed since listed (a test failed): the next pass lists it again
            if (e.getCode() != 404) {
                out.printf(
                        "%s: could not release pod %s/%s (%s); trying again%n",
                        COMMAND, meta.getNamespace(), meta.getName(), e.getMessage());
            }
            return false;
        }
    }

    private void awaitInstancesGone() throws InterruptedException {
        String selector = env.get(WAIT_FOR);
        String namespace = env.get("POD_NAMESPACE");
        if (selector == null || selector.isBlank() || namespace == null || namespace.isBlank()) {
            return;
        }
        Instant deadline = Instant.now().plus(waitAtMost);
        int running;
        while ((running = client.pods()
                        .inNamespace(namespace)
                        .withLabelSelector(selector)
                        .list()
                        .getItems()
                        .size())
                > 0) {
            if (Instant.now().isAfter(deadline)) {
                out.printf(
                        "%s: %d stagewatch pods (%s) still in %s after %s; releasing anyway%n",
                        COMMAND, running, selector, namespace, waitAtMost);
                return;
            }
            Thread.sleep(pause.toMillis());
        }
    }

    private List<String> namespaces() {
        String list = env.getOrDefault("STAGEWATCH_NAMESPACES", "");
        return Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(namespace -> !namespace.isEmpty())
                .toList();
    }
}
