package io.stagewatch.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * A simulated Kubernetes cluster for demos: the fabric8 mock API server in CRUD mode on a fixed plain-HTTP port,
 * a kubeconfig pointing at it, and an endless stream of workflow pods that go Pending → Running → an outcome drawn
 * from a weighted list (mostly success; exit codes, OOM, node shutdown that looks like success, evictions,
 * preemption, node loss, deadlines, force deletions).
 *
 * <p>System properties (or the first argument for the port): {@code sim.port} (6443), {@code sim.kubeconfig}
 * ({@code target/sim/kubeconfig}), {@code sim.rate} (runs started per minute, 12), {@code sim.ttl} (seconds a
 * finished pod stays before it is deleted, 300). Test-scoped: never part of the production artifact.
 */
public final class SimulatedCluster {

    static final String NAMESPACE = "ci";
    static final String FINALIZER = "sim.stagewatch.io/hold";
    static final String SHUTDOWN_MESSAGE = "Pod was terminated in response to imminent node shutdown.";
    static final List<String> PIPELINES = List.of("payments-api", "checkout-web", "search-indexer", "ledger-service",
            "mobile-bff");
    static final List<String> STAGES = List.of("ci", "ci", "pre-cd", "post-cd");
    static final List<String> NODES = List.of("sim-node-a", "sim-node-b", "sim-node-c");

    /** What happens to a run once it is running, with the verdict stagewatch should reach. */
    enum Outcome {
        SUCCESS(50, "SUCCEEDED"),
        EXIT_CODE(10, "FAILED WORKLOAD/EXIT_CODE"),
        OOM_KILLED(5, "FAILED WORKLOAD/OOM_KILLED"),
        NODE_SHUTDOWN(8, "FAILED INFRASTRUCTURE/NODE_SHUTDOWN (phase Succeeded, exit 0)"),
        NODE_PRESSURE_EVICTION(5, "FAILED INFRASTRUCTURE/EVICTED"),
        DRAIN_EVICTION(5, "FAILED INFRASTRUCTURE/EVICTED"),
        PREEMPTION(4, "FAILED INFRASTRUCTURE/PREEMPTED"),
        NODE_DELETED(4, "FAILED INFRASTRUCTURE/NODE_LOST"),
        TAINT_EVICTION(4, "FAILED INFRASTRUCTURE/NODE_LOST"),
        DEADLINE_EXCEEDED(3, "FAILED WORKLOAD/DEADLINE_EXCEEDED"),
        FORCE_DELETE(3, "FAILED INFRASTRUCTURE/POD_DELETED");

        final int weight;
        final String expected;

        Outcome(int weight, String expected) {
            this.weight = weight;
            this.expected = expected;
        }

        static Outcome pick() {
            int total = 0;
            for (Outcome o : values()) {
                total += o.weight;
            }
            int r = ThreadLocalRandom.current().nextInt(total);
            for (Outcome o : values()) {
                r -= o.weight;
                if (r < 0) {
                    return o;
                }
            }
            return SUCCESS;
        }
    }

    /** Held so that the level sticks: the mock web server logs every request at INFO. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final KubernetesClient client;
    private final long ttlSeconds;
    private final AtomicInteger runNumber = new AtomicInteger(100);

    SimulatedCluster(KubernetesClient client, long ttlSeconds) {
        this.client = client;
        this.ttlSeconds = ttlSeconds;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : System.getProperty("sim.port", "6443"));
        Path kubeconfig = Path.of(System.getProperty("sim.kubeconfig", "target/sim/kubeconfig"));
        double rate = Double.parseDouble(System.getProperty("sim.rate", "12"));
        long ttl = Long.parseLong(System.getProperty("sim.ttl", "300"));

        MOCK_LOG.setLevel(Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), port);
        KubernetesClient client = server.createClient();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .create();

        // write the kubeconfig last, atomically: its presence means the API server answers
        Path dir = kubeconfig.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "kubeconfig", ".tmp");
        Files.writeString(tmp, kubeconfig(port), StandardCharsets.UTF_8);
        Files.move(tmp, kubeconfig, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(kubeconfig);
            } catch (IOException ignored) {
                // best effort
            }
            server.destroy();
        }));
        log("simulated cluster at http://127.0.0.1:" + port + ", kubeconfig " + kubeconfig + ", " + rate
                + " runs/min in namespace " + NAMESPACE);

        new SimulatedCluster(client, ttl).play(rate);
    }

    static String kubeconfig(int port) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: sim
                  cluster:
                    server: http://127.0.0.1:%d
                users:
                - name: sim
                  user:
                    token: sim-token
                contexts:
                - name: sim
                  context:
                    cluster: sim
                    user: sim
                    namespace: %s
                current-context: sim
                """.formatted(port, NAMESPACE);
    }

    /** Starts runs forever, {@code rate} per minute, each played on its own pooled thread. */
    void play(double rate) throws InterruptedException {
        ExecutorService runs = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sim-run");
            t.setDaemon(true);
            return t;
        });
        long periodMillis = (long) (60_000 / Math.max(rate, 0.01));
        while (true) {
            runs.submit(() -> {
                try {
                    playRun(Outcome.pick());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    log("run failed to play: " + e);
                }
            });
            // a little jitter, so that runs do not march in lockstep
            long jitter = (long) (periodMillis * (ThreadLocalRandom.current().nextDouble() - 0.5) * 0.5);
            Thread.sleep(Math.max(100, periodMillis + jitter));
        }
    }

    void playRun(Outcome outcome) throws InterruptedException {
        var random = ThreadLocalRandom.current();
        String pipeline = PIPELINES.get(random.nextInt(PIPELINES.size()));
        String stage = STAGES.get(random.nextInt(STAGES.size()));
        String node = NODES.get(random.nextInt(NODES.size()));
        int number = runNumber.incrementAndGet();
        String workflow = pipeline + "-" + stage;
        String name = workflow + "-" + number + "-" + Long.toString(36L * 36 * 36 * 36 * 36 + random.nextLong(35L * 36 * 36 * 36 * 36 * 36), 36).substring(1);

        Pod pod = client.pods().inNamespace(NAMESPACE).resource(pending(name, stage, workflow, pipeline)).create();
        sleepSeconds(1, 3);
        pod = status(pod, scheduled(node));
        sleepSeconds(1, 3);
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        pod = edit(pod, p -> new PodBuilder(p).editSpec().withNodeName(node).endSpec()
                .withStatus(running(node, started)).build());
        sleepSeconds(4, 10);

        log(String.format("%-40s %-8s %-23s expect %s", name, stage, outcome, outcome.expected));
        switch (outcome) {
            case SUCCESS -> status(pod, terminal(node, started, "Succeeded", null, null, List.of(),
                    terminated(started, 0, "Completed")));
            case EXIT_CODE -> status(pod, terminal(node, started, "Failed", null, null, List.of(),
                    terminated(started, random.nextBoolean() ? 1 : 2, "Error")));
            case OOM_KILLED -> status(pod, terminal(node, started, "Failed", null, null, List.of(),
                    terminated(started, 137, "OOMKilled")));
            case NODE_SHUTDOWN -> {
                // kubelet's graceful node shutdown: SIGTERM, the job exits 0, phase computed from exit codes alone
                status(pod, terminal(node, started, "Succeeded", "Terminated", SHUTDOWN_MESSAGE,
                        List.of(disruption("TerminationByKubelet", SHUTDOWN_MESSAGE)),
                        terminated(started, 0, "Completed")));
            }
            case NODE_PRESSURE_EVICTION -> {
                String message = "The node was low on resource: ephemeral-storage. Threshold quantity: 1Gi, available: 0.";
                status(pod, terminal(node, started, "Failed", "Evicted", message,
                        List.of(disruption("TerminationByKubelet", "The node was low on resource: ephemeral-storage.")),
                        terminated(started, 137, "ContainerStatusUnknown")));
            }
            case DRAIN_EVICTION -> deleteByController(pod, node, started, "EvictionByEvictionAPI", "Eviction API: evicting");
            case PREEMPTION -> deleteByController(pod, node, started, "PreemptionByScheduler",
                    "Preempted by ci/release-train-0 on node " + node);
            case NODE_DELETED -> {
                // the node object is gone: PodGC marks the pod Failed (containers never reported ending) and force-deletes it
                pod = status(pod, new PodStatusBuilder(pod.getStatus()).withPhase("Failed")
                        .withConditions(conditionsWith(pod.getStatus(), disruption("DeletionByPodGC",
                                "PodGC: node no longer exists")))
                        .build());
                sleepSeconds(1, 2);
                pod = requestDeletion(pod, 0);
                release(pod);
            }
            case TAINT_EVICTION -> {
                // node unreachable: the taint manager deletes the pod while it still shows Running
                pod = edit(pod, p -> {
                    PodStatus s = new PodStatusBuilder(p.getStatus())
                            .withConditions(conditionsWith(p.getStatus(), disruption("DeletionByTaintManager",
                                    "Taint manager: deleting due to NoExecute taint")))
                            .build();
                    s.getConditions().replaceAll(c -> "Ready".equals(c.getType())
                            ? new PodConditionBuilder(c).withStatus("False").withReason("NodeUnreachable").build() : c);
                    return deletionRequested(new PodBuilder(p).withStatus(s).build(), 30);
                });
                sleepSeconds(3, 6);
                release(pod);
            }
            case DEADLINE_EXCEEDED -> status(pod, new PodStatusBuilder(pod.getStatus()).withPhase("Failed")
                    .withReason("DeadlineExceeded")
                    .withMessage("Pod was active on the node longer than the specified deadline").build());
            case FORCE_DELETE -> {
                // kubectl delete --grace-period=0 --force on a running pod
                pod = requestDeletion(pod, 0);
                release(pod);
            }
        }

        if (client.pods().inNamespace(NAMESPACE).withName(name).get() != null) {
            // finished pods linger a while, as with a Job's ttlSecondsAfterFinished, then go away
            Thread.sleep(ttlSeconds * 1000);
            Pod current = client.pods().inNamespace(NAMESPACE).withName(name).get();
            if (current != null) {
                release(requestDeletion(current, 0));
            }
        }
    }

    /** Eviction API or scheduler preemption: condition + deletion, the kubelet stops the job, the pod goes away. */
    private void deleteByController(Pod pod, String node, Instant started, String reason, String message)
            throws InterruptedException {
        pod = edit(pod, p -> deletionRequested(new PodBuilder(p).withStatus(new PodStatusBuilder(p.getStatus())
                .withConditions(conditionsWith(p.getStatus(), disruption(reason, message))).build()).build(), 30));
        sleepSeconds(1, 3);
        pod = status(pod, terminal(node, started, "Failed", null, null, List.of(disruption(reason, message)),
                terminated(started, 143, "Error")));
        sleepSeconds(1, 2);
        release(pod);
    }

    // --- pods ---------------------------------------------------------------------------------------------------

    static Pod pending(String name, String stage, String workflow, String pipeline) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(NAMESPACE)
                .withName(name)
                .addToLabels("stagewatch.io/stage", stage)
                .addToLabels("stagewatch.io/workflow", workflow)
                .addToLabels("stagewatch.io/pipeline", pipeline)
                .addToLabels("stagewatch.io/app", pipeline)
                .addToLabels("stagewatch.io/environment", "ci".equals(stage) ? "build" : "staging")
                .addToAnnotations("stagewatch.io/notify", "dev@example.org")
                .addToFinalizers(FINALIZER)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withActiveDeadlineSeconds(3600L)
                .addNewContainer().withName("main").withImage("registry.example.org/ci-runner:1.4")
                .withCommand("/bin/sh", "-c", "./ci/" + stage + ".sh").endContainer()
                .endSpec()
                .withStatus(new PodStatusBuilder().withPhase("Pending").build())
                .build();
    }

    static PodStatus scheduled(String node) {
        return new PodStatusBuilder()
                .withPhase("Pending")
                .addToConditions(condition("PodScheduled", "True"), condition("Initialized", "True"),
                        condition("Ready", "False"), condition("ContainersReady", "False"))
                .addToContainerStatuses(new ContainerStatusBuilder().withName("main")
                        .withImage("registry.example.org/ci-runner:1.4").withReady(false).withRestartCount(0)
                        .withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState().build())
                .build();
    }

    static PodStatus running(String node, Instant started) {
        return new PodStatusBuilder()
                .withPhase("Running")
                .withHostIP("10.0.0." + (10 + NODES.indexOf(node)))
                .withPodIP("10.244." + NODES.indexOf(node) + "." + ThreadLocalRandom.current().nextInt(2, 250))
                .withStartTime(started.toString())
                .addToConditions(condition("PodScheduled", "True"), condition("Initialized", "True"),
                        condition("Ready", "True"), condition("ContainersReady", "True"))
                .addToContainerStatuses(new ContainerStatusBuilder().withName("main")
                        .withImage("registry.example.org/ci-runner:1.4").withReady(true).withRestartCount(0)
                        .withNewState().withNewRunning().withStartedAt(started.toString()).endRunning().endState()
                        .build())
                .build();
    }

    static PodStatus terminal(String node, Instant started, String phase, String reason, String message,
            List<PodCondition> extra, ContainerStatus container) {
        List<PodCondition> conditions = new ArrayList<>(extra);
        conditions.addAll(List.of(condition("PodScheduled", "True"), condition("Initialized", "True"),
                condition("Ready", "False"), condition("ContainersReady", "False")));
        return new PodStatusBuilder(running(node, started))
                .withPhase(phase)
                .withReason(reason)
                .withMessage(message)
                .withConditions(conditions)
                .withContainerStatuses(container)
                .build();
    }

    static ContainerStatus terminated(Instant started, int exitCode, String reason) {
        return new ContainerStatusBuilder().withName("main").withImage("registry.example.org/ci-runner:1.4")
                .withReady(false).withRestartCount(0)
                .withNewState().withNewTerminated().withExitCode(exitCode).withReason(reason)
                .withStartedAt(started.toString()).withFinishedAt(now()).endTerminated().endState()
                .build();
    }

    static PodCondition disruption(String reason, String message) {
        return new PodConditionBuilder().withType("DisruptionTarget").withStatus("True").withReason(reason)
                .withMessage(message).withLastTransitionTime(now()).build();
    }

    static PodCondition condition(String type, String status) {
        return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(now()).build();
    }

    static List<PodCondition> conditionsWith(PodStatus status, PodCondition added) {
        List<PodCondition> conditions = new ArrayList<>();
        conditions.add(added);
        if (status.getConditions() != null) {
            status.getConditions().stream().filter(c -> !added.getType().equals(c.getType())).forEach(conditions::add);
        }
        return conditions;
    }

    static Pod deletionRequested(Pod pod, long graceSeconds) {
        return new PodBuilder(pod).editMetadata().withDeletionTimestamp(
                Instant.now().plusSeconds(graceSeconds).truncatedTo(ChronoUnit.SECONDS).toString())
                .withDeletionGracePeriodSeconds(graceSeconds).endMetadata().build();
    }

    // --- API calls: GET + PUT, as the kubelet and controllers do (the mock server drops deletion fields in patches) -

    private Pod edit(Pod pod, UnaryOperator<Pod> change) {
        var resource = client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName());
        return client.pods().inNamespace(NAMESPACE).resource(change.apply(resource.get())).update();
    }

    private Pod status(Pod pod, PodStatus status) {
        return edit(pod, p -> new PodBuilder(p).withStatus(status).build());
    }

    private Pod requestDeletion(Pod pod, long graceSeconds) {
        return edit(pod, p -> deletionRequested(p, graceSeconds));
    }

    /** Removes the finalizer: a pod whose deletion was requested disappears and watchers see DELETED. */
    private void release(Pod pod) {
        edit(pod, p -> new PodBuilder(p).editMetadata().withFinalizers(List.of()).endMetadata().build());
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static void sleepSeconds(int min, int max) throws InterruptedException {
        Thread.sleep(ThreadLocalRandom.current().nextLong(min * 1000L, max * 1000L + 1));
    }

    static void log(String line) {
        System.out.println(LocalTime.now().format(TIME) + " sim " + line);
    }
}
