package io.stagewatch.sim;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.stagewatch.delivery.WebhookSignature;
import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.RunStatus;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.MailSink;
import io.stagewatch.testing.Pods;
import io.stagewatch.testing.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A simulated Kubernetes cluster for demos: the fabric8 mock API server in CRUD mode on a fixed plain-HTTP port,
 * a kubeconfig pointing at it, a local SMTP sink ({@link MailSink}) that logs every mail it receives, a webhook
 * receiver ({@link WebhookReceiver}) that logs every request it receives, and an endless
 * stream of workflow pods that go Pending → Running → an outcome drawn from a weighted list (mostly success; exit
 * codes, OOM, node shutdown that looks like success, evictions, preemption, node loss, deadlines, force deletions).
 * Each {@link Outcome} carries the verdict stagewatch must reach; {@code SimulatedScenariosTest} plays every one of
 * them against a test's mock server (any {@link KubernetesClient}, stage durations scaled to zero) and checks it.
 *
 * <p>System properties (or the first argument for the port): {@code sim.port} (6443), {@code sim.kubeconfig}
 * ({@code target/sim/kubeconfig}), {@code sim.rate} (runs started per minute, 12), {@code sim.ttl} (seconds a
 * finished pod stays before it is deleted, 300), {@code sim.pace} (factor on every stage duration, 1),
 * {@code sim.notify} (the pods' notify annotation, {@code dev@example.org}), {@code sim.smtp.port} (the SMTP sink's
 * port on 127.0.0.1, 2525; 0 for none), {@code sim.mail.log} ({@code target/sim/mail.log}), {@code sim.webhook.port}
 * (the webhook receiver's port on 127.0.0.1; 0, the default, for none), {@code sim.webhook.log}
 * ({@code target/sim/webhooks.log}), {@code sim.webhook.secret} (to verify signatures with), {@code sim.platform} (the
 * {@link SimPlatform} whose pods are played: {@code stagewatch}, {@code devtron}, {@code argo}, {@code tekton} or
 * {@code mixed}). Test-scoped: never part of the production artifact.
 */
public final class SimulatedCluster {

    static final String NAMESPACE = "ci";
    static final List<String> PIPELINES =
            List.of("payments-api", "checkout-web", "search-indexer", "ledger-service", "mobile-bff");
    static final List<String> STAGES = List.of("ci", "ci", "pre-cd", "post-cd");
    static final List<String> NODES = List.of("sim-node-a", "sim-node-b", "sim-node-c");

    /**
     * What happens to a run once it is running, with the verdict stagewatch must reach (docs/classification.md):
     * the final {@link #status}, and for a failure its {@link #reason} (whose {@link #cause()} follows from it).
     */
    enum Outcome {
        SUCCESS(50, RunStatus.SUCCEEDED, null, null),
        INIT_CONTAINERS(8, RunStatus.SUCCEEDED, null, "clone and cache restore first"),
        EXIT_CODE(10, RunStatus.FAILED, FailureReason.EXIT_CODE, null),
        OOM_KILLED(5, RunStatus.FAILED, FailureReason.OOM_KILLED, null),
        NODE_SHUTDOWN(8, RunStatus.FAILED, FailureReason.NODE_SHUTDOWN, "phase Succeeded, exit 0"),
        NODE_PRESSURE_EVICTION(5, RunStatus.FAILED, FailureReason.EVICTED, null),
        DRAIN_EVICTION(5, RunStatus.FAILED, FailureReason.EVICTED, null),
        PREEMPTION(4, RunStatus.FAILED, FailureReason.PREEMPTED, null),
        NODE_DELETED(4, RunStatus.FAILED, FailureReason.NODE_LOST, "PodGC"),
        TAINT_EVICTION(4, RunStatus.FAILED, FailureReason.NODE_LOST, null),
        DEADLINE_EXCEEDED(3, RunStatus.FAILED, FailureReason.DEADLINE_EXCEEDED, null),
        FORCE_DELETE(3, RunStatus.FAILED, FailureReason.POD_DELETED, null);

        final int weight;
        final RunStatus status;
        final FailureReason reason;
        private final String note;

        Outcome(int weight, RunStatus status, FailureReason reason, String note) {
            this.weight = weight;
            this.status = status;
            this.reason = reason;
            this.note = note;
        }

        /** The expected cause: the reason's, none for a success. */
        FailureCause cause() {
            return reason == null ? null : reason.cause();
        }

        /** The expected verdict: {@code SUCCEEDED}, or {@code FAILED cause/reason}, e.g. {@code FAILED INFRASTRUCTURE/EVICTED}. */
        String verdict() {
            return verdict(
                    status.name(), cause() == null ? null : cause().name(), reason == null ? null : reason.name());
        }

        /** The expected verdict as the demo log shows it: {@link #verdict()} and what is special about the case. */
        String expected() {
            return verdict() + (note == null ? "" : " (" + note + ")");
        }

        /** A verdict in the form of {@link #verdict()}, from a run's status, cause and reason (the latter two may be null). */
        static String verdict(String status, String cause, String reason) {
            return status + (cause == null && reason == null ? "" : " " + cause + "/" + reason);
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

    /**
     * The CI/CD platform whose pods a run imitates ({@code sim.platform}, {@code make demo SIM_PLATFORM=...}):
     * stagewatch's own labels, Devtron's SYSTEM executor (its labels, the stage in {@code CI_CD_EVENT}), an Argo step
     * ({@code main} and {@code wait}, stagewatch's labels through {@code podMetadata}) or a Tekton TaskRun pod (a
     * {@code step-build} container). Every {@link Outcome} ends with the same verdict on each.
     */
    enum SimPlatform {
        STAGEWATCH,
        DEVTRON,
        ARGO,
        TEKTON;

        /** The platform of one run: the one named, or any for {@code mixed}. */
        static SimPlatform pick(String setting) {
            if ("mixed".equals(setting)) {
                return values()[ThreadLocalRandom.current().nextInt(values().length)];
            }
            return valueOf(setting.toUpperCase(Locale.ROOT));
        }

        /** The container that runs the job. */
        String job() {
            return this == TEKTON ? "step-build" : "main";
        }

        /** Argo's wait container, which ends right after the job's; null elsewhere. */
        String helper() {
            return this == ARGO ? "wait" : null;
        }

        String namespace(String stage) {
            return switch (this) {
                case STAGEWATCH -> NAMESPACE;
                case DEVTRON -> "ci".equals(stage) ? "devtron-ci" : "devtron-cd";
                case ARGO -> "argo";
                case TEKTON -> "tekton";
            };
        }
    }

    /** Held so that the level sticks: the mock web server logs every request at INFO. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Cluster cluster;
    private final Duration ttl;
    private final double pace;
    private final String notify;
    private final String platforms;
    private final AtomicInteger runNumber = new AtomicInteger(100);

    /**
     * @param client the API server to play pods on
     * @param ttl    how long a finished pod stays before it is deleted; null: it stays (until {@link Cluster#expire})
     * @param pace   factor on every pause between two steps of a run (1 = the demo's seconds, 0 = no pause)
     * @param notify the pods' {@code stagewatch.io/notify} annotation; null for none
     */
    SimulatedCluster(KubernetesClient client, Duration ttl, double pace, String notify) {
        this(client, ttl, pace, notify, "stagewatch");
    }

    /** @param platforms the {@link SimPlatform} of every run ({@code devtron}, ...), or {@code mixed} */
    SimulatedCluster(KubernetesClient client, Duration ttl, double pace, String notify, String platforms) {
        this.cluster = new Cluster(client);
        this.ttl = ttl;
        this.pace = pace;
        this.notify = notify;
        this.platforms = platforms;
        SimPlatform.pick(platforms); // an unknown name fails here, not in the first run
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : System.getProperty("sim.port", "6443"));
        Path kubeconfig = Path.of(System.getProperty("sim.kubeconfig", "target/sim/kubeconfig"));
        double rate = Double.parseDouble(System.getProperty("sim.rate", "12"));
        long ttl = Long.parseLong(System.getProperty("sim.ttl", "300"));
        double pace = Double.parseDouble(System.getProperty("sim.pace", "1"));
        String notify = System.getProperty("sim.notify", "dev@example.org");
        String platforms = System.getProperty("sim.platform", "stagewatch");
        int smtpPort = Integer.parseInt(System.getProperty("sim.smtp.port", "2525"));
        Path mailLog = Path.of(System.getProperty("sim.mail.log", "target/sim/mail.log"));
        int webhookPort = Integer.parseInt(System.getProperty("sim.webhook.port", "0"));
        Path webhookLog = Path.of(System.getProperty("sim.webhook.log", "target/sim/webhooks.log"));
        String webhookSecret = System.getProperty("sim.webhook.secret", "");

        MOCK_LOG.setLevel(Level.WARNING);
        // the SMTP sink first: stagewatch starts once the kubeconfig exists, and may send a mail at once
        MailSink mail = smtpPort > 0 ? mailSink(smtpPort, mailLog) : null;
        WebhookReceiver webhooks = webhookPort > 0 ? webhookReceiver(webhookPort, webhookLog, webhookSecret) : null;
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), port);
        KubernetesClient client = server.createClient();
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NAMESPACE)
                        .endMetadata()
                        .build())
                .create();

        // write the kubeconfig last, atomically: its presence means the API server answers
        Path dir = kubeconfig.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "kubeconfig", ".tmp");
        Files.writeString(tmp, kubeconfig(port), StandardCharsets.UTF_8);
        Files.move(
                tmp,
                kubeconfig,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(kubeconfig);
            } catch (IOException ignored) {
                // best effort
            }
            server.destroy();
            if (mail != null) {
                mail.close();
            }
            if (webhooks != null) {
                webhooks.close();
            }
        }));
        log("simulated cluster at http://127.0.0.1:" + port + ", kubeconfig " + kubeconfig + ", " + rate
                + " runs/min of platform " + platforms);
        if (mail != null) {
            log("SMTP sink at 127.0.0.1:" + smtpPort + ", one line per received mail here and in " + mailLog);
        }
        if (webhooks != null) {
            log("webhook receiver at http://127.0.0.1:" + webhookPort + ", one line per request here and in "
                    + webhookLog);
        }

        new SimulatedCluster(client, Duration.ofSeconds(ttl), pace, notify, platforms).play(rate);
    }

    /**
     * The SMTP sink, one line per mail and recipient it accepts (time, recipient, subject, Message-ID) on standard
     * output and in {@code file}, which is truncated. A mail in the log is a mail the SMTP server accepted. No mail is
     * kept, so that a long demo does not fill the heap.
     */
    private static MailSink mailSink(int port, Path file) throws IOException {
        Consumer<String> log = logTo(file);
        return MailSink.on(port)
                .discarding()
                .onDelivery(mail -> log.accept(String.format(
                        "mail to %s subject \"%s\" message-id %s", mail.recipient(), mail.subject(), mail.messageId())))
                .start();
    }

    /** Logs each line on standard output and appends it, with the time, to {@code file}, which is truncated first. */
    private static Consumer<String> logTo(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Writer lines = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        return line -> {
            log(line);
            synchronized (lines) {
                try {
                    lines.write(timestamp() + " " + line + "\n");
                    lines.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /**
     * The webhook receiver, one line per request it answers (time, path, event, run, Idempotency-Key, whether the
     * signature verifies with {@code secret}) on standard output and in {@code file}, which is truncated.
     */
    private static WebhookReceiver webhookReceiver(int port, Path file, String secret) throws IOException {
        Consumer<String> log = logTo(file);
        return WebhookReceiver.on(port)
                .onRequest(request -> {
                    String timestamp = request.header("X-Stagewatch-Timestamp");
                    String signature = timestamp == null
                            ? "unsigned"
                            : secret.isEmpty()
                                    ? "signed"
                                    : WebhookSignature.sign(secret, Long.parseLong(timestamp), request.body())
                                                    .equals(request.header("X-Stagewatch-Signature"))
                                            ? "signature ok"
                                            : "signature WRONG";
                    log.accept(String.format(
                            "webhook %s %s key %s %s: %s",
                            request.method(),
                            request.path(),
                            request.header("Idempotency-Key"),
                            signature,
                            request.body()));
                })
                .start();
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

    /** Plays one run to its end: {@link #play}, then the finished pod lingers for the TTL and is deleted. */
    void playRun(Outcome outcome) throws InterruptedException {
        Pod pod = play(outcome);
        if (ttl != null
                && cluster.client()
                                .pods()
                                .inNamespace(pod.getMetadata().getNamespace())
                                .withName(pod.getMetadata().getName())
                                .get()
                        != null) {
            // finished pods linger a while, as with a Job's ttlSecondsAfterFinished, then go away
            Thread.sleep(ttl.toMillis());
            cluster.expire(pod);
        }
    }

    /**
     * Plays one run up to its outcome: created Pending, scheduled, Running, then what {@code outcome} does to it. The
     * pod may still exist afterwards (a finished pod) or be gone (deleted as part of the outcome).
     *
     * @return the pod as first created, with the UID the API server gave it
     */
    Pod play(Outcome outcome) throws InterruptedException {
        return play(outcome, SimPlatform.pick(platforms));
    }

    /** {@link #play(Outcome)} with a pod of the given platform. */
    Pod play(Outcome outcome, SimPlatform platform) throws InterruptedException {
        var random = ThreadLocalRandom.current();
        String pipeline = PIPELINES.get(random.nextInt(PIPELINES.size()));
        String stage = STAGES.get(random.nextInt(STAGES.size()));
        String node = NODES.get(random.nextInt(NODES.size()));
        int number = runNumber.incrementAndGet();
        String workflow = pipeline + "-" + stage;
        String name = workflow + "-" + number + "-"
                + Long.toString(36L * 36 * 36 * 36 * 36 + random.nextLong(35L * 36 * 36 * 36 * 36 * 36), 36)
                        .substring(1);

        Pod pod = cluster.create(pending(platform, name, stage, workflow, pipeline, notify));
        Pod created = pod;
        sleepSeconds(1, 3);
        pod = cluster.update(pod, p -> scheduled(p, platform));
        sleepSeconds(1, 3);
        if (outcome == Outcome.INIT_CONTAINERS) {
            pod = initContainers(pod);
        }
        String started = now();
        pod = cluster.update(pod, p -> running(p, platform, node, started));
        sleepSeconds(4, 10);

        log(String.format(
                "%-40s %-10s %-8s %-23s expect %s",
                name, platform.name().toLowerCase(Locale.ROOT), stage, outcome, outcome.expected()));
        switch (outcome) {
            case SUCCESS, INIT_CONTAINERS ->
                cluster.update(pod, p -> ended(p, platform, "Succeeded", started, 0, "Completed"));
            case EXIT_CODE -> {
                int exitCode = random.nextBoolean() ? 1 : 2;
                cluster.update(pod, p -> ended(p, platform, "Failed", started, exitCode, "Error"));
            }
            case OOM_KILLED -> cluster.update(pod, p -> ended(p, platform, "Failed", started, 137, "OOMKilled"));
            // kubelet's graceful node shutdown: SIGTERM, the job exits 0, phase computed from exit codes alone
            case NODE_SHUTDOWN ->
                cluster.update(
                        pod,
                        p -> ended(p, platform, "Succeeded", started, 0, "Completed")
                                .reason("Terminated", Pods.SHUTDOWN_MESSAGE)
                                .disruption("TerminationByKubelet", Pods.SHUTDOWN_MESSAGE));
            case NODE_PRESSURE_EVICTION ->
                cluster.update(
                        pod,
                        p -> ended(p, platform, "Failed", started, 137, "ContainerStatusUnknown")
                                .reason(
                                        "Evicted",
                                        "The node was low on resource: ephemeral-storage. Threshold quantity: 1Gi, available: 0.")
                                .disruption(
                                        "TerminationByKubelet", "The node was low on resource: ephemeral-storage."));
            case DRAIN_EVICTION ->
                deleteByController(pod, platform, started, "EvictionByEvictionAPI", "Eviction API: evicting");
            case PREEMPTION ->
                deleteByController(
                        pod,
                        platform,
                        started,
                        "PreemptionByScheduler",
                        "Preempted by ci/release-train-0 on node " + node);
            case NODE_DELETED -> {
                // the node object is gone: PodGC marks the pod Failed (containers never reported ending) and
                // force-deletes it
                pod = cluster.update(
                        pod, p -> p.phase("Failed").disruption("DeletionByPodGC", "PodGC: node no longer exists"));
                sleepSeconds(1, 2);
                cluster.release(cluster.requestDeletion(pod, 0));
            }
            case TAINT_EVICTION -> {
                // node unreachable: the taint manager deletes the pod while it still shows Running
                pod = cluster.update(
                        pod,
                        p -> p.disruption("DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint")
                                .condition("Ready", "False", "NodeUnreachable", null)
                                .deletionRequested(Pods.FINISHED, 30));
                sleepSeconds(3, 6);
                cluster.release(pod);
            }
            case DEADLINE_EXCEEDED ->
                cluster.update(
                        pod,
                        p -> p.phase("Failed")
                                .reason(
                                        "DeadlineExceeded",
                                        "Pod was active on the node longer than the specified deadline"));
            // kubectl delete --grace-period=0 --force on a running pod
            case FORCE_DELETE -> cluster.release(cluster.requestDeletion(pod, 0));
        }
        return created;
    }

    /** Init containers that run one after the other, each for a while, before the job's container starts. */
    private Pod initContainers(Pod pod) throws InterruptedException {
        String cloneStarted = now();
        pod = cluster.update(
                pod,
                p -> p.initContainer("clone", Pods.runningSince(cloneStarted))
                        .initContainer("restore-cache", Pods.waiting("PodInitializing")));
        sleepSeconds(2, 4);
        String restoreStarted = now();
        pod = cluster.update(
                pod,
                p -> p.initContainer("clone", Pods.exited(0, "Completed", cloneStarted, restoreStarted))
                        .initContainer("restore-cache", Pods.runningSince(restoreStarted)));
        sleepSeconds(2, 4);
        String restored = now();
        return cluster.update(
                pod, p -> p.initContainer("restore-cache", Pods.exited(0, "Completed", restoreStarted, restored)));
    }

    /** Eviction API or scheduler preemption: condition + deletion, the kubelet stops the job, the pod goes away. */
    private void deleteByController(Pod pod, SimPlatform platform, String started, String reason, String message)
            throws InterruptedException {
        pod = cluster.update(pod, p -> p.disruption(reason, message).deletionRequested(Pods.FINISHED, 30));
        sleepSeconds(1, 3);
        pod = cluster.update(pod, p -> ended(p, platform, "Failed", started, 143, "Error"));
        sleepSeconds(1, 2);
        cluster.release(pod);
    }

    // --- pods: what the kubelet writes at each step of a run ---------------------------------------------------

    static Pod pending(
            SimPlatform platform, String name, String stage, String workflow, String pipeline, String notify) {
        String environment = "ci".equals(stage) ? "build" : "staging";
        String run = name.substring(0, name.lastIndexOf('-')); // one per run: the name without its random suffix
        Pods pod = Pods.workflow(platform.namespace(stage), name, stage)
                .label("stagewatch.io/workflow", workflow)
                .pipeline(pipeline)
                .label("stagewatch.io/app", pipeline)
                .label("stagewatch.io/environment", environment)
                .with(p -> p.editSpec()
                        .withActiveDeadlineSeconds(3600L)
                        .editFirstContainer()
                        .withName(platform.job())
                        .withCommand("/bin/sh", "-c", "./ci/" + stage + ".sh")
                        .endContainer()
                        .endSpec());
        switch (platform) {
            case STAGEWATCH -> {}
            // the stagewatch labels come through the Workflow's podMetadata
            case ARGO ->
                pod.label("workflows.argoproj.io/workflow", run)
                        .label("workflows.argoproj.io/completed", "false")
                        .container("wait", null);
            // the stagewatch labels come from the PipelineRun
            case TEKTON ->
                pod.label("tekton.dev/pipelineRun", run)
                        .label("tekton.dev/pipeline", pipeline)
                        .label("tekton.dev/taskRun", run + "-" + stage)
                        .label("app.kubernetes.io/managed-by", "tekton-pipelines");
            // Devtron labels its pods its own way, and passes stage, app and environment in CI_CD_EVENT
            case DEVTRON ->
                pod.with(p -> p.editMetadata()
                        .withLabels(Map.of(
                                "devtron.ai/purpose",
                                "workflow",
                                "devtron.ai/workflow-purpose",
                                "cd",
                                "workflowType",
                                "ci".equals(stage) ? "ci" : "cd",
                                "devtron.ai/generate-name-prefix",
                                run))
                        .endMetadata()
                        .editSpec()
                        .editFirstContainer()
                        .addNewEnv()
                        .withName("CI_CD_EVENT")
                        .withValue(devtronEvent(stage, run, pipeline, environment))
                        .endEnv()
                        .endContainer()
                        .endSpec());
        }
        return (notify == null ? pod : pod.notify(notify)).build();
    }

    /** Devtron's event as its ci-runner gets it, with the kind of secret it carries (never to be seen again). */
    private static String devtronEvent(String stage, String prefix, String pipeline, String environment) {
        return "{\"type\":\"" + ("ci".equals(stage) ? "CI" : "CD") + "\",\"commonWorkflowRequest\":{"
                + "\"workflowNamePrefix\":\"" + prefix + "\",\"pipelineName\":\"" + pipeline + "\",\"appName\":\""
                + pipeline + "\",\"stageType\":\"" + ("pre-cd".equals(stage) ? "PRE" : "POST") + "\","
                + "\"dockerPassword\":\"sim-secret\",\"orchestratorToken\":\"sim-secret\","
                + "\"systemEnvironmentVariables\":{\"CD_PIPELINE_ENV_NAME\":\"" + environment + "\"}}}";
    }

    static Pods scheduled(Pods pod, SimPlatform platform) {
        Pods scheduled = pod.phase("Pending").container(platform.job(), Pods.waiting("ContainerCreating"));
        return ready(
                platform.helper() == null
                        ? scheduled
                        : scheduled.container(platform.helper(), Pods.waiting("ContainerCreating")),
                false);
    }

    static Pods running(Pods pod, SimPlatform platform, String node, String started) {
        int n = NODES.indexOf(node);
        Pods running = pod.node(node).phase("Running").container(platform.job(), Pods.runningSince(started));
        if (platform.helper() != null) {
            running.container(platform.helper(), Pods.runningSince(started));
        }
        return ready(running, true)
                .with(p -> p.editStatus()
                        .withHostIP("10.0.0." + (10 + n))
                        .withPodIP("10.244." + n + "."
                                + ThreadLocalRandom.current().nextInt(2, 250))
                        .withStartTime(started)
                        .endStatus());
    }

    /** The job's container exited now: the pod is in its terminal {@code phase} and no longer ready. */
    static Pods ended(Pods pod, SimPlatform platform, String phase, String started, int exitCode, String reason) {
        String now = now();
        Pods ended = pod.phase(phase).container(platform.job(), Pods.exited(exitCode, reason, started, now));
        if (platform.helper() != null) {
            ended.container(platform.helper(), Pods.exited(0, "Completed", started, now));
        }
        return ready(ended, false);
    }

    private static Pods ready(Pods pod, boolean ready) {
        String value = ready ? "True" : "False";
        return pod.condition("PodScheduled", "True", null, null)
                .condition("Initialized", "True", null, null)
                .condition("Ready", value, null, null)
                .condition("ContainersReady", value, null, null);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A pause between two steps of a run: {@code min..max} seconds, times the pace. */
    private void sleepSeconds(int min, int max) throws InterruptedException {
        long millis = (long) (ThreadLocalRandom.current().nextLong(min * 1000L, max * 1000L + 1) * pace);
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    static void log(String line) {
        System.out.println(timestamp() + " sim " + line);
    }

    static String timestamp() {
        return LocalTime.now().format(TIME);
    }
}
