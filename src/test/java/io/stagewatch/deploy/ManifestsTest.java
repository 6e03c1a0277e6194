package io.stagewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.runtime.configuration.DurationConverter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every manifest file of {@code k8s/} (the chart aside: ChartTest) parses as the Kubernetes object it claims to be;
 * {@code kubectl kustomize} renders {@code k8s/}, the base and every overlay (skipped, and saying so, without
 * kubectl); the install of {@code k8s/} has no example Secret and no placeholder address, and names its namespace in
 * the kustomization only; the Deployment runs as the cluster expects (probes, non-root, read-only, resources, two
 * replicas under a PodDisruptionBudget); the RBAC, cluster-wide or namespaced ({@code k8s/overlays/namespaced/}),
 * grants exactly the API calls the code makes; the NetworkPolicies let in and out only what stagewatch needs; and
 * {@code make deploy} never applies the example Secret.
 */
class ManifestsTest {

    private static final Path K8S = Path.of("k8s");
    /** make deploy's script, and the list of manifests it shares with make uninstall's. */
    private static final Path DEPLOY_SCRIPT = Path.of("scripts/deploy.sh");

    private static final Path MANIFESTS_SCRIPT = Path.of("scripts/manifests.sh");
    private static final Path EXAMPLES = K8S.resolve("examples");
    private static final Path OVERLAYS = K8S.resolve("overlays");

    private static List<HasMetadata> rendered;

    /** What RBAC grants: one verb on one resource of one API group. */
    private record Grant(String apiGroup, String resource, String verb) {}

    /** One call the code makes to the API server, and whether it is made only while the finalizer is on. */
    private record ApiCall(Grant grant, boolean onlyWithFinalizer) {
        ApiCall(String apiGroup, String resource, String verb, boolean onlyWithFinalizer) {
            this(new Grant(apiGroup, resource, verb), onlyWithFinalizer);
        }
    }

    /**
     * Every API call of the code, and where it is made. Keep it in step with the code: a call missing here is denied
     * in a real cluster, a grant without a call is a privilege nobody needs.
     */
    private static final List<ApiCall> CALLS = List.of(
            // kube/PodWatch#start: the informers' initial LIST and re-lists; kube/ReconcileLoop#listPages: the
            // paginated LIST of every reconcile pass
            new ApiCall("", "pods", "list", false),
            // kube/PodWatch#start: the informers' WATCH
            new ApiCall("", "pods", "watch", false),
            // kube/StatusCaptureFinalizer#patch: adds and removes the finalizer stagewatch.io/status-capture, only
            // while
            // stagewatch.finalizer.enabled is true (STAGEWATCH_FINALIZER_ENABLED in base/configmap.yaml, default true)
            new ApiCall("", "pods", "patch", true),
            // kube/NodeWatch#start: the node informer's initial LIST and re-lists, and its WATCH (cluster-scoped)
            new ApiCall("", "nodes", "list", false),
            new ApiCall("", "nodes", "watch", false),
            // kube/WorkflowWatch#start: the informers of the enabled profiles' workflow objects, LIST and WATCH
            new ApiCall("argoproj.io", "workflows", "list", false),
            new ApiCall("argoproj.io", "workflows", "watch", false),
            new ApiCall("tekton.dev", "pipelineruns", "list", false),
            new ApiCall("tekton.dev", "pipelineruns", "watch", false),
            new ApiCall("tekton.dev", "taskruns", "list", false),
            new ApiCall("tekton.dev", "taskruns", "watch", false),
            new ApiCall("batch", "jobs", "list", false),
            new ApiCall("batch", "jobs", "watch", false));

    /**
     * Resources that live in no namespace: granted by the ClusterRole {@code stagewatch-nodes} of rbac/common in every
     * deployment, never by the namespaced Roles, which cannot grant them.
     */
    private static final Set<String> CLUSTER_SCOPED = Set.of("nodes");

    @Test
    void everyManifestParsesAsTheKubernetesObjectItClaimsToBe() throws IOException {
        List<Path> files = files();
        assertTrue(files.size() >= 15, "k8s/ holds the manifests");
        for (Path file : files) {
            HasMetadata object = parse(file);
            assertNotNull(object.getMetadata(), file + " has metadata");
            assertFalse(
                    object.getMetadata().getName() == null
                            || object.getMetadata().getName().isBlank(),
                    file + " names its " + object.getKind());
            if (object.getKind().equals("ServiceMonitor") || object.getKind().equals("PrometheusRule")) {
                assertInstanceOf(
                        GenericKubernetesResource.class, object, "a " + object.getKind() + " is a custom resource");
                assertEquals("monitoring.coreos.com/v1", object.getApiVersion());
            } else {
                assertFalse(
                        object instanceof GenericKubernetesResource,
                        file + ": " + object.getApiVersion() + " " + object.getKind() + " is a built-in kind");
            }
        }
    }

    @Test
    void noManifestHasAFieldKubernetesDoesNotKnow() throws Exception {
        for (Path file : files()) {
            HasMetadata object = parse(file);
            if (!(object instanceof GenericKubernetesResource)) {
                assertNoUnknownFields(object, file + ": " + object.getKind());
            }
        }
    }

    @Test
    void kustomizeRendersTheInstallTheBaseAndEveryOverlay() throws IOException {
        List<Path> kustomizations = new ArrayList<>(List.of(K8S, K8S.resolve("base"), K8S.resolve("monitoring")));
        try (Stream<Path> overlays = Files.list(OVERLAYS)) {
            overlays.sorted().forEach(kustomizations::add);
        }
        assertEquals(
                Set.of("all-namespaces", "namespaced", "dev"),
                kustomizations.stream()
                        .filter(dir ->
                                dir.getParent() != null && dir.getParent().equals(OVERLAYS))
                        .map(dir -> dir.getFileName().toString())
                        .collect(Collectors.toSet()));
        for (Path dir : kustomizations) {
            List<HasMetadata> objects = Kustomize.render(dir);
            assertFalse(objects.isEmpty(), dir + " renders objects");
        }
        assertTrue(
                Kustomize.render(OVERLAYS.resolve("dev")).stream()
                        .anyMatch(o -> o instanceof Deployment && name(o).equals("postgres")),
                "the dev overlay runs its throwaway PostgreSQL");
    }

    @Test
    void theInstallOfK8sHasNoExampleSecretAndNoPlaceholderAddress() throws IOException, InterruptedException {
        List<HasMetadata> install = Kustomize.render(K8S);
        assertTrue(install.stream().noneMatch(o -> o instanceof Secret), "no Secret: the operator makes it");
        String rendered = Serialization.asYaml(install);
        for (String placeholder : List.of("192.0.2.", "example.org", "example-only", "change-me")) {
            assertFalse(rendered.contains(placeholder), "a placeholder in the install: " + placeholder);
        }
        assertTrue(install.stream().noneMatch(o -> o instanceof NetworkPolicy && name(o).endsWith("egress")));
        try (Stream<Path> base = Files.list(K8S.resolve("base"))) {
            for (Path file : base.filter(f -> !f.endsWith("kustomization.yaml")).toList()) {
                assertNull(parse(file).getMetadata().getNamespace(), file + ": the namespace is the kustomization's");
            }
        }
    }

    @Test
    void namesAreUniquePerKind() throws IOException {
        Set<String> seen = new HashSet<>();
        for (HasMetadata object : manifests()) {
            String key = object.getKind() + "/" + object.getMetadata().getName();
            assertTrue(seen.add(key), key + " is declared twice");
        }
    }

    @Test
    void everyNamespacedObjectLivesInTheStagewatchNamespace() throws IOException {
        Set<String> clusterScoped = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding");
        for (HasMetadata object : manifests()) {
            String expected = clusterScoped.contains(object.getKind()) ? null : "stagewatch";
            assertEquals(expected, object.getMetadata().getNamespace(), object.getKind() + " " + name(object));
        }
    }

    @Test
    void theClusterRolesGrantExactlyTheApiCallsOfTheCode() throws IOException {
        Set<Grant> granted =
                new HashSet<>(granted(only(ClusterRole.class, "stagewatch").getRules()));
        Set<Grant> nodes = granted(only(ClusterRole.class, "stagewatch-nodes").getRules());
        assertTrue(
                nodes.stream().allMatch(grant -> CLUSTER_SCOPED.contains(grant.resource())),
                "stagewatch-nodes grants cluster-scoped resources only: " + nodes);
        granted.addAll(nodes);
        assertEquals(expectedGrants(), granted);
    }

    @Test
    void theNodesClusterRoleIsBoundToTheServiceAccountInEveryDeployment() throws IOException {
        ClusterRoleBinding binding = only(ClusterRoleBinding.class, "stagewatch-nodes");
        assertEquals("ClusterRole", binding.getRoleRef().getKind());
        assertEquals("stagewatch-nodes", binding.getRoleRef().getName());
        assertGrantedToTheServiceAccountOnly(binding.getSubjects());
        assertTrue(
                Kustomize.render(OVERLAYS.resolve("namespaced")).stream()
                        .anyMatch(o -> o instanceof ClusterRoleBinding && name(o).equals("stagewatch-nodes")),
                "the namespaced overlay grants the nodes too");
    }

    /** kube/ClusterBinding reads the kube-system namespace, the cluster's identity, and nothing else cluster-wide. */
    @Test
    void theIdentityRoleGetsTheKubeSystemNamespaceOnlyForTheServiceAccount() throws IOException {
        var rules = only(ClusterRole.class, "stagewatch-cluster-identity").getRules();
        assertEquals(1, rules.size());
        assertEquals(List.of(""), rules.get(0).getApiGroups());
        assertEquals(List.of("namespaces"), rules.get(0).getResources());
        assertEquals(List.of("kube-system"), rules.get(0).getResourceNames());
        assertEquals(List.of("get"), rules.get(0).getVerbs());
        ClusterRoleBinding binding = only(ClusterRoleBinding.class, "stagewatch-cluster-identity");
        assertEquals("stagewatch-cluster-identity", binding.getRoleRef().getName());
        assertGrantedToTheServiceAccountOnly(binding.getSubjects());
    }

    /** A binding's subjects: stagewatch's ServiceAccount, no one else. */
    private static void assertGrantedToTheServiceAccountOnly(List<Subject> subjects) throws IOException {
        ServiceAccount account = only(ServiceAccount.class, "stagewatch");
        assertEquals(1, subjects.size());
        assertEquals(account.getMetadata().getName(), subjects.get(0).getName());
        assertEquals(account.getMetadata().getNamespace(), subjects.get(0).getNamespace());
    }

    @Test
    void theNamespacedRolesGrantWhatTheClusterRoleGrantsInEachNamespaceAndAreBoundToTheServiceAccount()
            throws IOException {
        List<HasMetadata> namespaced = Kustomize.render(OVERLAYS.resolve("namespaced"));
        assertTrue(
                namespaced.stream()
                        .filter(ClusterRole.class::isInstance)
                        .map(ClusterRole.class::cast)
                        .allMatch(role -> role.getRules().stream()
                                .noneMatch(rule -> rule.getResources().contains("pods"))),
                "no cluster-wide right on pods");
        List<Role> roles = namespaced.stream()
                .filter(Role.class::isInstance)
                .map(Role.class::cast)
                .toList();
        assertEquals(
                Set.of("ci", "deploy"),
                roles.stream().map(r -> r.getMetadata().getNamespace()).collect(Collectors.toSet()),
                "one Role per watched namespace");
        assertEquals(
                "ci,deploy",
                namespaced.stream()
                        .filter(ConfigMap.class::isInstance)
                        .map(ConfigMap.class::cast)
                        .findFirst()
                        .orElseThrow()
                        .getData()
                        .get("STAGEWATCH_NAMESPACES"),
                "the Roles' namespaces are the watched ones");
        assertTrue(
                Files.readString(MANIFESTS_SCRIPT).contains("kustomize k8s/rbac/namespace"),
                "make deploy NAMESPACES=... applies k8s/rbac/namespace in each");
        Role role = roles.get(0);
        RoleBinding binding = namespaced.stream()
                .filter(RoleBinding.class::isInstance)
                .map(RoleBinding.class::cast)
                .filter(b ->
                        b.getMetadata().getNamespace().equals(role.getMetadata().getNamespace()))
                .findFirst()
                .orElseThrow();
        assertEquals(
                expectedGrants().stream()
                        .filter(grant -> !CLUSTER_SCOPED.contains(grant.resource()))
                        .collect(Collectors.toSet()),
                granted(role.getRules()));
        assertEquals("Role", binding.getRoleRef().getKind());
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        ServiceAccount account = only(ServiceAccount.class, "stagewatch");
        assertEquals(1, binding.getSubjects().size());
        assertEquals(
                account.getMetadata().getName(), binding.getSubjects().get(0).getName());
        assertEquals(
                account.getMetadata().getNamespace(),
                binding.getSubjects().get(0).getNamespace());
        for (HasMetadata object : List.of(role, binding)) {
            try {
                assertNoUnknownFields(object, object.getKind());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void theIngressPolicyOpensTheApiToItsNamespacesAndTheManagementPortToMonitoringOnly() throws IOException {
        NetworkPolicy policy = only(NetworkPolicy.class, "stagewatch-ingress");
        assertEquals(
                deployment().getSpec().getSelector().getMatchLabels(),
                policy.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
        Map<String, NetworkPolicyIngressRule> byPort = new java.util.HashMap<>();
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
            assertEquals(1, rule.getPorts().size(), "one port per rule");
            byPort.put(rule.getPorts().get(0).getPort().getStrVal(), rule);
        }
        assertEquals(Set.of("http", "management"), byPort.keySet(), "no other port is reachable");
        containerPort(container(), "http");
        containerPort(container(), "management");
        assertEquals(
                Map.of("stagewatch.io/api-access", "true"),
                byPort.get("http").getFrom().get(0).getNamespaceSelector().getMatchLabels());
        assertEquals(
                List.of(Map.of("kubernetes.io/metadata.name", "monitoring")),
                byPort.get("management").getFrom().stream()
                        .map(peer -> peer.getNamespaceSelector().getMatchLabels())
                        .toList());
    }

    @Test
    void theEgressPolicyAllowsDnsTheApiServerPostgresAndSmtpOnly() throws IOException {
        NetworkPolicy policy = (NetworkPolicy) parse(EXAMPLES.resolve("networkpolicy-egress.yaml"));
        assertEquals(
                deployment().getSpec().getSelector().getMatchLabels(),
                policy.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of("Egress"), policy.getSpec().getPolicyTypes());
        Set<String> ports = new HashSet<>();
        for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
            assertFalse(rule.getTo().isEmpty(), "every entry names its destination");
            rule.getPorts()
                    .forEach(port ->
                            ports.add(port.getProtocol() + "/" + port.getPort().getIntVal()));
        }
        String smtp = "TCP/" + only(ConfigMap.class, "stagewatch").getData().get("QUARKUS_MAILER_PORT");
        assertEquals(Set.of("UDP/53", "TCP/53", "TCP/443", "TCP/6443", "TCP/5432", "TCP/587", "TCP/465"), ports);
        assertTrue(ports.contains(smtp), "the configured SMTP port " + smtp);
        assertTrue(
                policy.getSpec().getEgress().stream()
                        .anyMatch(rule -> rule.getTo().get(0).getIpBlock() != null
                                && rule.getPorts().stream()
                                        .anyMatch(p -> p.getPort().getIntVal() == 443)),
                "the API server as an ipBlock: its Service IP is translated before the policy applies");
        assertTrue(
                Files.readString(DEPLOY_SCRIPT)
                        .contains(
                                "if [ -n \"${EGRESS:-}\" ]; then\n  \"${kubectl[@]}\" apply -n \"$NAMESPACE\" -f \"$EGRESS_POLICY\""),
                "applied only on request, once its addresses are the cluster's");
    }

    @Test
    void makeDeployNeverAppliesTheExampleSecret() throws IOException, InterruptedException {
        for (var namespaces : Map.of("", "k8s", "ci deploy", "k8s/base").entrySet()) {
            ProcessBuilder builder = new ProcessBuilder(
                            "bash", "-c", "source " + MANIFESTS_SCRIPT + " && install_kustomization")
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put("NAMESPACES", namespaces.getKey());
            Process process = builder.start();
            String kustomization = new String(process.getInputStream().readAllBytes()).trim();
            assertEquals(0, process.waitFor(), "scripts/manifests.sh names the kustomization");
            assertEquals(namespaces.getValue(), kustomization, "NAMESPACES=" + namespaces.getKey());
        }
        for (Path dir : List.of(K8S, K8S.resolve("base"), OVERLAYS.resolve("namespaced"), OVERLAYS.resolve("dev"))) {
            assertTrue(
                    Kustomize.render(dir).stream().noneMatch(o -> o instanceof Secret && name(o).equals("stagewatch")),
                    dir + " has no Secret stagewatch: the example is no manifest");
        }
        String deploy = Files.readString(DEPLOY_SCRIPT);
        assertFalse(deploy.contains("SECRET_EXAMPLE"), "deploy never names the example");
        assertTrue(deploy.contains("create secret generic stagewatch"), "it prints (or, DEV=1, runs) the command");
    }

    @Test
    void theRoleIsBoundToTheServiceAccountTheDeploymentRunsAs() throws IOException {
        ClusterRoleBinding binding = only(ClusterRoleBinding.class, "stagewatch");
        ServiceAccount account = only(ServiceAccount.class, "stagewatch");
        assertEquals("ClusterRole", binding.getRoleRef().getKind());
        assertEquals(
                only(ClusterRole.class, "stagewatch").getMetadata().getName(),
                binding.getRoleRef().getName());
        assertEquals(1, binding.getSubjects().size());
        var subject = binding.getSubjects().get(0);
        assertEquals("ServiceAccount", subject.getKind());
        assertEquals(account.getMetadata().getName(), subject.getName());
        assertEquals(account.getMetadata().getNamespace(), subject.getNamespace());
        assertEquals(
                account.getMetadata().getName(),
                deployment().getSpec().getTemplate().getSpec().getServiceAccountName());
    }

    @Test
    void theDeploymentProbesTheHealthEndpointsOnTheManagementPort() throws IOException {
        Container container = container();
        assertHttpProbe("/q/health/started", container.getStartupProbe());
        assertHttpProbe("/q/health/live", container.getLivenessProbe());
        assertHttpProbe("/q/health/ready", container.getReadinessProbe());
        assertEquals(8080, containerPort(container, "http"));
        assertEquals(9000, containerPort(container, "management"), "quarkus.management.port's default");
    }

    @Test
    void theDeploymentRunsNonRootOnAReadOnlyRootFilesystemWithAWritableTmp() throws IOException {
        PodSpec pod = deployment().getSpec().getTemplate().getSpec();
        Container container = container();
        var podSecurity = pod.getSecurityContext();
        var security = container.getSecurityContext();
        assertEquals(Boolean.TRUE, podSecurity.getRunAsNonRoot());
        assertTrue(podSecurity.getRunAsUser() != null && podSecurity.getRunAsUser() > 0, "a non-zero uid");
        assertEquals("RuntimeDefault", podSecurity.getSeccompProfile().getType());
        assertEquals(Boolean.TRUE, security.getRunAsNonRoot());
        assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), security.getCapabilities().getDrop());
        assertTrue(security.getPrivileged() == null || !security.getPrivileged(), "not privileged");

        String tmpVolume = container.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/tmp"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("/tmp is mounted"))
                .getName();
        var volume = pod.getVolumes().stream()
                .filter(v -> v.getName().equals(tmpVolume))
                .findFirst()
                .orElseThrow();
        assertNotNull(volume.getEmptyDir(), "/tmp is an emptyDir");
        assertEquals(1, container.getVolumeMounts().size(), "/tmp is the only writable place");
    }

    @Test
    void theDeploymentTellsEachReplicaItsNameAndNamespace() throws IOException {
        Map<String, String> fields = container().getEnv().stream()
                .filter(env -> env.getValueFrom() != null && env.getValueFrom().getFieldRef() != null)
                .collect(Collectors.toMap(
                        EnvVar::getName, env -> env.getValueFrom().getFieldRef().getFieldPath()));
        assertEquals("metadata.name", fields.get("POD_NAME"));
        assertEquals("metadata.namespace", fields.get("POD_NAMESPACE"));
    }

    @Test
    void theDeploymentTakesItsSettingsFromTheConfigMapAndItsCredentialsFromTheSecret() throws IOException {
        Container container = container();
        Set<String> configMaps = container.getEnvFrom().stream()
                .filter(e -> e.getConfigMapRef() != null)
                .map(e -> e.getConfigMapRef().getName())
                .collect(Collectors.toSet());
        Set<String> secrets = container.getEnvFrom().stream()
                .filter(e -> e.getSecretRef() != null)
                .map(e -> e.getSecretRef().getName())
                .collect(Collectors.toSet());
        assertEquals(Set.of(only(ConfigMap.class, "stagewatch").getMetadata().getName()), configMaps);
        assertEquals(Set.of(only(Secret.class, "stagewatch").getMetadata().getName()), secrets);

        Secret secret = only(Secret.class, "stagewatch");
        assertEquals(
                Set.of(
                        "STAGEWATCH_DB_USER",
                        "STAGEWATCH_DB_PASSWORD",
                        "QUARKUS_MAILER_USERNAME",
                        "QUARKUS_MAILER_PASSWORD",
                        "STAGEWATCH_API_TOKENS"),
                secret.getStringData().keySet());
        secret.getStringData()
                .forEach((key, value) -> assertTrue(
                        !(key.contains("PASSWORD") || key.contains("TOKENS")) || value.contains("example"),
                        key + " of the example Secret says it is an example"));
        Set<String> inConfigMap = only(ConfigMap.class, "stagewatch").getData().keySet();
        assertTrue(
                inConfigMap.stream().noneMatch(key -> key.contains("PASSWORD") || key.contains("TOKEN")),
                "no credential in the ConfigMap");
    }

    @Test
    void theDeploymentRequestsAndLimitsItsResources() throws IOException {
        var resources = container().getResources();
        for (String resource : List.of("cpu", "memory")) {
            Quantity request = resources.getRequests().get(resource);
            Quantity limit = resources.getLimits().get(resource);
            assertNotNull(request, resource + " request");
            assertNotNull(limit, resource + " limit");
            assertTrue(
                    request.getNumericalAmount().compareTo(limit.getNumericalAmount()) <= 0,
                    resource + " request <= limit");
        }
    }

    @Test
    void preStopSleepAndShutdownEndBeforeTheKubeletKills() throws IOException {
        long grace = deployment().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        long preStop = container().getLifecycle().getPreStop().getSleep().getSeconds();
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        Duration delay = DurationConverter.parseDuration(properties.getProperty("quarkus.shutdown.delay"));
        Duration timeout = DurationConverter.parseDuration(properties.getProperty("quarkus.shutdown.timeout"));
        // the requests in flight get the timeout, then the outbox's sends in flight get it again
        long shutdown = delay.toSeconds() + 2 * timeout.toSeconds();

        assertTrue(preStop > 0, "a preStop pause lets the endpoints drop the pod before SIGTERM");
        assertTrue(
                preStop + shutdown < grace,
                "preStop " + preStop + " s + shutdown " + shutdown + " s end inside the grace period of " + grace
                        + " s");
    }

    @Test
    void twoReplicasStayAtLeastOneThroughDisruptions() throws IOException {
        Deployment deployment = deployment();
        PodDisruptionBudget budget = only(PodDisruptionBudget.class, "stagewatch");
        assertEquals(2, deployment.getSpec().getReplicas());
        assertEquals(1, budget.getSpec().getMinAvailable().getIntVal());
        assertEquals(
                "AlwaysAllow",
                budget.getSpec().getUnhealthyPodEvictionPolicy(),
                "an unready replica never blocks a drain");
        assertEquals(
                0,
                deployment
                        .getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxUnavailable()
                        .getIntVal());
        Map<String, String> podLabels =
                deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(
                podLabels
                        .entrySet()
                        .containsAll(
                                budget.getSpec().getSelector().getMatchLabels().entrySet()),
                "the budget selects the Deployment's pods");
    }

    @Test
    void prometheusFindsTheMetricsByAnnotationAndByServiceMonitor() throws IOException {
        Deployment deployment = deployment();
        Map<String, String> annotations =
                deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals("/q/metrics", annotations.get("prometheus.io/path"));
        assertEquals(String.valueOf(containerPort(container(), "management")), annotations.get("prometheus.io/port"));

        Service service = only(Service.class, "stagewatch");
        GenericKubernetesResource monitor = manifests().stream()
                .filter(o -> o.getKind().equals("ServiceMonitor"))
                .map(GenericKubernetesResource.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("a ServiceMonitor"));
        Map<String, Object> spec = monitor.get("spec");
        assertEquals(service.getMetadata().getLabels(), monitor.get("spec", "selector", "matchLabels"));
        @SuppressWarnings("unchecked")
        Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
        assertEquals("/q/metrics", endpoint.get("path"));
        assertEquals("management", endpoint.get("port"), "metrics are on the management interface");
        assertTrue(
                service.getSpec().getPorts().stream()
                        .anyMatch(p -> Objects.equals(p.getName(), endpoint.get("port"))
                                && Objects.equals(p.getTargetPort().getStrVal(), "management")),
                "the ServiceMonitor scrapes a port the Service has");
        assertEquals(
                deployment.getSpec().getSelector().getMatchLabels(),
                service.getSpec().getSelector());
    }

    /**
     * fabric8 keeps a field its model does not know (a typo such as {@code readOnlyRootFileSystem}) in
     * {@code additionalProperties} instead of failing, and the API server would ignore or reject it: none may be left.
     */
    private static void assertNoUnknownFields(Object value, String where) throws Exception {
        if (value instanceof List<?> list) {
            for (Object item : list) {
                assertNoUnknownFields(item, where);
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Object item : map.values()) {
                assertNoUnknownFields(item, where);
            }
        } else if (value != null && value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            for (var method : value.getClass().getMethods()) {
                if (method.getParameterCount() > 0
                        || !method.getName().startsWith("get")
                        || method.getDeclaringClass() == Object.class) {
                    continue;
                }
                Object field = method.invoke(value);
                if (method.getName().equals("getAdditionalProperties")) {
                    assertTrue(
                            field == null || ((Map<?, ?>) field).isEmpty(),
                            where + " has unknown fields " + field + " in "
                                    + value.getClass().getSimpleName());
                } else {
                    assertNoUnknownFields(field, where);
                }
            }
        }
    }

    private static void assertHttpProbe(String path, Probe probe) {
        assertNotNull(probe, path + " probe");
        assertEquals(path, probe.getHttpGet().getPath());
        assertEquals("management", probe.getHttpGet().getPort().getStrVal());
    }

    private static int containerPort(Container container, String name) {
        return container.getPorts().stream()
                .filter(p -> name.equals(p.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("a container port named " + name))
                .getContainerPort();
    }

    /** What the code's API calls need (the finalizer's only while base/configmap.yaml leaves it on). */
    private static Set<Grant> expectedGrants() throws IOException {
        boolean finalizer = !"false"
                .equals(only(ConfigMap.class, "stagewatch")
                        .getData()
                        .getOrDefault("STAGEWATCH_FINALIZER_ENABLED", "true"));
        return CALLS.stream()
                .filter(call -> finalizer || !call.onlyWithFinalizer())
                .map(ApiCall::grant)
                .collect(Collectors.toSet());
    }

    private static Set<Grant> granted(List<PolicyRule> rules) {
        Set<Grant> granted = new HashSet<>();
        for (var rule : rules) {
            assertTrue(
                    rule.getResourceNames() == null || rule.getResourceNames().isEmpty(), "no resourceNames");
            assertTrue(
                    rule.getNonResourceURLs() == null
                            || rule.getNonResourceURLs().isEmpty(),
                    "no nonResourceURLs");
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        assertFalse(group.equals("*") || resource.equals("*") || verb.equals("*"), "no wildcards");
                        granted.add(new Grant(group, resource, verb));
                    }
                }
            }
        }
        return granted;
    }

    private static Deployment deployment() throws IOException {
        return only(Deployment.class, "stagewatch");
    }

    private static Container container() throws IOException {
        List<Container> containers =
                deployment().getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    private static <T extends HasMetadata> T only(Class<T> kind, String name) throws IOException {
        Predicate<HasMetadata> named =
                o -> kind.isInstance(o) && name.equals(o.getMetadata().getName());
        List<HasMetadata> found = manifests().stream().filter(named).toList();
        assertEquals(1, found.size(), "one " + kind.getSimpleName() + " " + name);
        return kind.cast(found.get(0));
    }

    private static String name(HasMetadata object) {
        return object.getMetadata().getName();
    }

    /** The install of k8s/ as Kustomize renders it, its monitoring objects and the example Secret; rendered once. */
    private static List<HasMetadata> manifests() {
        if (rendered == null) {
            List<HasMetadata> manifests = new ArrayList<>(Kustomize.render(K8S));
            manifests.addAll(Kustomize.render(K8S.resolve("monitoring")));
            manifests.add(parse(EXAMPLES.resolve("secret.example.yaml")));
            rendered = List.copyOf(manifests);
        }
        return rendered;
    }

    /** Every manifest file of k8s/: its YAML files but the kustomizations and the Helm chart's. */
    private static List<Path> files() throws IOException {
        try (Stream<Path> all = Files.walk(K8S)) {
            return all.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.startsWith(K8S.resolve("chart")))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .sorted()
                    .toList();
        }
    }

    private static HasMetadata parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Serialization.unmarshal(in);
        } catch (IOException e) {
            throw new IllegalStateException(file + " does not parse", e);
        }
    }
}
