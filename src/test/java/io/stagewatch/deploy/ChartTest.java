package io.stagewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart of {@code k8s/chart/}, with Helm itself (helm-java embeds it; no cluster, no helm binary): linted as
 * it is, and rendered with several value sets (src/test/resources/chart/). Helm's template of helm-java renders as
 * Kubernetes 1.20 and cannot be told otherwise, so the renders use a copy of the chart without the {@code kubeVersion}
 * constraint. The rendered objects are parsed and checked: the restricted Pod Security Standard, probes on the
 * management port, RBAC no wider than the code's calls, one Role per watched namespace, the heap reaching the JVM, the
 * database Secret of CloudNativePG with TLS, the monitoring objects, the NetworkPolicies, the uninstall hook, and the
 * schema refusing what it must.
 */
class ChartTest {

    private static final Path CHART = Path.of("k8s/chart");
    private static final Path VALUES = Path.of("src/test/resources/chart");
    private static final Path COPY = Path.of("target/chart-test/stagewatch");
    private static final String RELEASE = "sw";
    private static final String NAMESPACE = "stagewatch";
    /** The Helm hook annotation, renamed in the copy so that its objects are rendered (see copyWithoutKubeVersion). */
    private static final String HOOK = "rendered.helm.sh/hook";

    /**
     * What the chart may grant on each resource, by API group and resource: the code's calls on pods, the node
     * watcher's reads of nodes, the workflow watch's reads of the platforms' objects, the one read of the cluster's
     * identity (the kube-system namespace, by name).
     */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "/pods", Set.of("get", "list", "watch", "patch"),
            "/nodes", Set.of("list", "watch"),
            "/namespaces", Set.of("get"),
            "argoproj.io/workflows", Set.of("list", "watch"),
            "tekton.dev/pipelineruns", Set.of("list", "watch"),
            "tekton.dev/taskruns", Set.of("list", "watch"),
            "batch/jobs", Set.of("list", "watch"));

    @BeforeAll
    static void copyWithoutKubeVersion() throws IOException {
        if (Files.exists(COPY)) {
            try (Stream<Path> old = Files.walk(COPY)) {
                old.sorted((a, b) -> b.compareTo(a))
                        .forEach(path -> path.toFile().delete());
            }
        }
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path source : files.toList()) {
                Path target = COPY.resolve(CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    // the links of files/ are followed: the copy holds what they point to
                    Files.copy(source, target);
                }
            }
        }
        Path chart = COPY.resolve("Chart.yaml");
        String yaml = Files.readString(chart);
        assertTrue(yaml.contains("\nkubeVersion: \">=1.30.0-0\""), "Chart.yaml asks for Kubernetes 1.30");
        Files.writeString(chart, yaml.replaceAll("\nkubeVersion: .*", ""));
        // helm-java's template prints the manifest without the hooks: in the copy, the hook's objects are plain ones
        Path helpers = COPY.resolve("templates/_helpers.tpl");
        String hooks = Files.readString(helpers);
        assertTrue(hooks.contains("\nhelm.sh/hook: post-delete\n"), "the uninstall hook is Helm's post-delete hook");
        Files.writeString(helpers, hooks.replace("\nhelm.sh/hook", "\n" + HOOK));
    }

    @Test
    void theChartAsItIsPassesHelmLint() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
    }

    @Test
    void byDefaultItRunsRestrictedWatchesEveryNamespaceAndReleasesOnUninstall() {
        List<HasMetadata> objects = render();
        Deployment deployment = only(objects, Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertRestricted(pod);
        Container container = pod.getContainers().get(0);
        assertProbe("/q/health/started", container.getStartupProbe());
        assertProbe("/q/health/live", container.getLivenessProbe());
        assertProbe("/q/health/ready", container.getReadinessProbe());
        assertEquals(2, deployment.getSpec().getReplicas());
        assertEquals(List.of("-Xmx256m"), container.getArgs(), "the native executable takes the heap's cap");
        assertNull(env(container, "JAVA_OPTS_APPEND"));
        assertEquals(5L, container.getLifecycle().getPreStop().getSleep().getSeconds(), "needs Kubernetes 1.30");

        assertRbacNoWiderThanTheCode(objects);
        ClusterRole pods = named(objects, ClusterRole.class, "sw-stagewatch");
        assertEquals(Set.of("list", "watch", "patch"), verbs(pods.getRules(), "pods"));
        ClusterRole nodes = named(objects, ClusterRole.class, "sw-stagewatch-nodes");
        assertEquals(Set.of("list", "watch"), verbs(nodes.getRules(), "nodes"));
        ClusterRole identity = named(objects, ClusterRole.class, "sw-stagewatch-cluster-identity");
        assertEquals(List.of("kube-system"), identity.getRules().get(0).getResourceNames());
        assertEquals(Set.of("get"), verbs(identity.getRules(), "namespaces"));
        ClusterRoleBinding identityBinding = named(objects, ClusterRoleBinding.class, "sw-stagewatch-cluster-identity");
        assertEquals(
                "sw-stagewatch-cluster-identity", identityBinding.getRoleRef().getName());
        assertEquals(
                "sw-stagewatch",
                identityBinding.getSubjects().get(0).getName(),
                "granted to the chart's ServiceAccount");
        assertEquals(
                List.of(),
                kinds(objects, Role.class).stream()
                        .filter(role -> !role.getMetadata().getName().contains("release-finalizers"))
                        .toList());

        Map<String, String> settings = settings(objects);
        assertNull(settings.get("STAGEWATCH_NAMESPACES"), "every namespace");
        assertEquals("true", settings.get("STAGEWATCH_FINALIZER_ENABLED"));
        assertEquals("true", settings.get("STAGEWATCH_NODES_ENABLED"));
        assertEquals("default", settings.get("STAGEWATCH_CLUSTER_NAME"));
        assertEquals(
                "disable", settings.get("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE"), "the driver's default");
        assertNull(settings.get("QUARKUS_DATASOURCE_REACTIVE_TRUST_ALL"));
        assertEquals(
                "true",
                settings(render(Map.of("database.sslmode", "require"))).get("QUARKUS_DATASOURCE_REACTIVE_TRUST_ALL"),
                "require encrypts without checking the certificate, as libpq does");

        Job hook = only(objects, Job.class);
        assertEquals("post-delete", hook.getMetadata().getAnnotations().get(HOOK));
        assertEquals("PostDelete", hook.getMetadata().getAnnotations().get("argocd.argoproj.io/hook"));
        PodSpec hookPod = hook.getSpec().getTemplate().getSpec();
        assertRestricted(hookPod);
        assertEquals(
                List.of("release-finalizers"), hookPod.getContainers().get(0).getArgs());
        assertEquals(
                "app.kubernetes.io/name=stagewatch,app.kubernetes.io/instance=sw,app.kubernetes.io/component=server",
                env(hookPod.getContainers().get(0), "STAGEWATCH_RELEASE_WAIT_FOR")
                        .getValue());
        assertEquals(
                deployment.getSpec().getSelector().getMatchLabels(),
                Arrays.stream(env(hookPod.getContainers().get(0), "STAGEWATCH_RELEASE_WAIT_FOR")
                                .getValue()
                                .split(","))
                        .map(pair -> pair.split("="))
                        .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1])),
                "the hook waits for exactly the instance pods");
        assertFalse(
                hook.getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getLabels()
                        .get("app.kubernetes.io/component")
                        .equals("server"),
                "the hook's pod is not one it waits for");
        for (HasMetadata object : objects) {
            if (object.getMetadata().getName().contains("release-finalizers")) {
                assertEquals(
                        "post-delete",
                        object.getMetadata().getAnnotations().get(HOOK),
                        object.getKind() + " of the hook outlives the release: a hook itself");
            }
        }
        assertTrue(kinds(objects, NetworkPolicy.class).isEmpty(), "off by default");
    }

    @Test
    void namespacedItMakesOneRolePerWatchedNamespaceAndNoClusterRoleOnPods() {
        List<HasMetadata> objects = render("namespaced.yaml");
        assertRbacNoWiderThanTheCode(objects);
        Set<String> namespaces = kinds(objects, Role.class).stream()
                .filter(role -> role.getMetadata().getName().equals("sw-stagewatch"))
                .map(role -> role.getMetadata().getNamespace())
                .collect(Collectors.toSet());
        assertEquals(Set.of("devtron-ci", "devtron-cd"), namespaces);
        assertEquals(
                2,
                kinds(objects, Role.class).stream()
                        .filter(role -> role.getMetadata().getName().equals("sw-stagewatch"))
                        .count(),
                "one Role per namespace");
        for (ClusterRole role : kinds(objects, ClusterRole.class)) {
            assertTrue(
                    verbs(role.getRules(), "pods").isEmpty(), role.getMetadata().getName() + " grants pods");
        }
        Map<String, String> settings = settings(objects);
        assertEquals("devtron-ci,devtron-cd", settings.get("STAGEWATCH_NAMESPACES"));
        assertEquals("devtron,job", settings.get("STAGEWATCH_PROFILES"));
        assertEquals("team=ci", settings.get("STAGEWATCH_PROFILE_JOB_SELECTOR"));
        assertEquals("devtron-ci", settings.get("STAGEWATCH_PROFILE_JOB_NAMESPACES"));
        Container hook = only(objects, Job.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertEquals("devtron-ci,devtron-cd", env(hook, "STAGEWATCH_NAMESPACES").getValue());
    }

    @Test
    void anExistingCloudNativePgSecretAndItsCaGiveTheDatabaseAndTls() {
        List<HasMetadata> objects = render("cloudnativepg.yaml");
        PodSpec pod = only(objects, Deployment.class).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        Map<String, String> keys = Map.of(
                "STAGEWATCH_DB_HOST", "host",
                "STAGEWATCH_DB_PORT", "port",
                "STAGEWATCH_DB_NAME", "dbname",
                "STAGEWATCH_DB_USER", "user",
                "STAGEWATCH_DB_PASSWORD", "password");
        keys.forEach((name, key) -> {
            var ref = env(container, name).getValueFrom().getSecretKeyRef();
            assertEquals("pg-app", ref.getName(), name);
            assertEquals(key, ref.getKey(), name);
        });
        for (String name : List.of("QUARKUS_FLYWAY_USERNAME", "QUARKUS_FLYWAY_PASSWORD")) {
            assertEquals(
                    "pg-owner",
                    env(container, name).getValueFrom().getSecretKeyRef().getName(),
                    name);
        }
        Map<String, String> settings = settings(objects);
        assertNull(settings.get("STAGEWATCH_DB_HOST"), "from the Secret only");
        assertEquals("verify-full", settings.get("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE"));
        assertEquals("true", settings.get("QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM"));
        assertEquals(
                "/etc/stagewatch/database-ca/ca.crt",
                settings.get("QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM_CERTS"));
        assertEquals("HTTPS", settings.get("QUARKUS_DATASOURCE_REACTIVE_HOSTNAME_VERIFICATION_ALGORITHM"));
        assertNull(settings.get("QUARKUS_DATASOURCE_REACTIVE_TRUST_ALL"), "the certificate is checked");
        assertTrue(
                settings.get("QUARKUS_DATASOURCE_JDBC_URL")
                        .endsWith("?sslmode=verify-full&sslrootcert=/etc/stagewatch/database-ca/ca.crt"),
                "Flyway's JDBC connection checks the same: " + settings.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("10", settings.get("QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE"));
        String volume = container.getVolumeMounts().stream()
                .filter(mount -> mount.getMountPath().equals("/etc/stagewatch/database-ca"))
                .findFirst()
                .orElseThrow()
                .getName();
        assertEquals(
                "pg-ca",
                pod.getVolumes().stream()
                        .filter(v -> v.getName().equals(volume))
                        .findFirst()
                        .orElseThrow()
                        .getSecret()
                        .getSecretName());
    }

    @Test
    void monitoringCarriesItsLabelsAndAbsoluteRunbookLinks() throws IOException {
        List<HasMetadata> objects = render("monitoring.yaml");
        GenericKubernetesResource monitor = custom(objects, "ServiceMonitor");
        assertEquals("kube-prometheus-stack", monitor.getMetadata().getLabels().get("release"));
        assertEquals("management", monitor.get("spec", "endpoints", 0, "port"));
        GenericKubernetesResource rule = custom(objects, "PrometheusRule");
        assertEquals("kube-prometheus-stack", rule.getMetadata().getLabels().get("release"));
        List<Map<String, Object>> rules = rule.get("spec", "groups", 0, "rules");
        String source = Files.readString(AlertRulesTest.RULES);
        assertFalse(rules.isEmpty());
        for (Map<String, Object> alert : rules) {
            String name = (String) alert.get("alert");
            assertTrue(source.contains("alert: " + name), name + " is one of " + AlertRulesTest.RULES);
            @SuppressWarnings("unchecked")
            Map<String, String> annotations = (Map<String, String>) alert.get("annotations");
            assertEquals(
                    "https://runbooks.example.org/stagewatch#" + name.toLowerCase(), annotations.get("runbook_url"));
        }
        assertEquals(source.split("- alert: ", -1).length - 1, rules.size(), "every alert of the source");
        ConfigMap dashboard = kinds(objects, ConfigMap.class).stream()
                .filter(map -> map.getMetadata().getName().endsWith("-dashboard"))
                .findFirst()
                .orElseThrow();
        assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
        assertEquals(
                Files.readString(Path.of("docs/grafana/stagewatch.json")),
                dashboard.getData().get("stagewatch.json"));
    }

    @Test
    void egressIsRestrictedToTheAddressesGivenAndOnlyWhenGiven() {
        NetworkPolicy egress = named(render("egress.yaml"), NetworkPolicy.class, "sw-stagewatch-egress");
        Set<String> cidrs = egress.getSpec().getEgress().stream()
                .flatMap(rule -> rule.getTo().stream())
                .map(NetworkPolicyPeer::getIpBlock)
                .filter(block -> block != null)
                .map(block -> block.getCidr())
                .collect(Collectors.toSet());
        assertEquals(Set.of("10.0.0.1/32", "10.20.0.0/24", "10.30.0.25/32"), cidrs);
        assertEquals(List.of("Egress"), egress.getSpec().getPolicyTypes());

        List<HasMetadata> noAddresses = render(Map.of("networkPolicy.enabled", true));
        assertEquals(
                List.of("sw-stagewatch-ingress"),
                kinds(noAddresses, NetworkPolicy.class).stream()
                        .map(p -> p.getMetadata().getName())
                        .toList(),
                "no egress policy without addresses: a placeholder would cut stagewatch off");
    }

    @Test
    void theJvmFlavorGetsTheHeapThroughItsLauncherAndTheFleetAndRulesSettingsArrive() {
        List<HasMetadata> objects = render("jvm.yaml");
        Deployment deployment = only(objects, Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        assertTrue(container.getArgs() == null || container.getArgs().isEmpty(), "arguments reach the application");
        assertEquals("-Xmx300m", env(container, "JAVA_OPTS_APPEND").getValue());
        assertTrue(container.getImage().endsWith("-jvm"), container.getImage());
        assertEquals(185L, pod.getSecurityContext().getRunAsUser(), "the JVM image's user");
        assertTrue(Files.exists(Path.of("src/main/docker/Dockerfile.jvm")));

        Map<String, String> settings = settings(objects);
        assertEquals("prod-eu", settings.get("STAGEWATCH_CLUSTER_NAME"));
        assertEquals("/etc/stagewatch/rules/rules.yaml", settings.get("STAGEWATCH_RULES_FILE"));
        assertEquals("false", settings.get("STAGEWATCH_NODES_ENABLED"));
        assertEquals("false", settings.get("STAGEWATCH_FINALIZER_ENABLED"));
        ConfigMap rules = named(objects, ConfigMap.class, "sw-stagewatch-rules");
        assertTrue(
                rules.getData().get("rules.yaml").startsWith("rules:\n- "),
                rules.getData().toString());
        assertTrue(kinds(objects, ClusterRole.class).stream()
                .noneMatch(role -> role.getMetadata().getName().endsWith("-nodes")));
        ClusterRole pods = named(objects, ClusterRole.class, "sw-stagewatch");
        assertEquals(Set.of("list", "watch"), verbs(pods.getRules(), "pods"), "no patch without the finalizer");
    }

    @Test
    void theJvmImagesLauncherAppendsJavaOptsAppendToTheImagesOwnOptions() throws IOException {
        String dockerfile = Files.readString(Path.of("src/main/docker/Dockerfile.jvm"));
        assertFalse(dockerfile.contains("ENV JAVA_OPTS_APPEND"), "a run-time JAVA_OPTS_APPEND would replace it");
        assertTrue(dockerfile.contains("JAVA_OPTS_APPEND=\\\"$STAGEWATCH_JVM_OPTIONS ${JAVA_OPTS_APPEND:-}\\\""));
    }

    @Test
    void theSchemaRefusesUnknownKeysAndWrongTypes() {
        for (Map<String, Object> wrong : List.of(
                Map.<String, Object>of("replicas", 2),
                Map.<String, Object>of("replicaCount", "two"),
                Map.<String, Object>of("image.flavor", "graal"),
                Map.<String, Object>of("database.sslmode", "verify"),
                Map.<String, Object>of("watch.namespaces", "ci"))) {
            Exception e = assertThrows(IllegalStateException.class, () -> render(wrong), wrong.toString());
            assertTrue(e.getMessage().contains("schema"), e.getMessage());
        }
        assertFalse(
                render(Map.of("global.imageRegistry", "registry.example.org")).isEmpty(), "global is allowed");
    }

    private static List<HasMetadata> render(String... valueFiles) {
        TemplateCommand template = new Helm(COPY).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (String file : valueFiles) {
            template.withValuesFile(VALUES.resolve(file).toAbsolutePath());
        }
        return Kustomize.parse(template.call());
    }

    private static List<HasMetadata> render(Map<String, Object> values) {
        TemplateCommand template = new Helm(COPY).template().withName(RELEASE).withNamespace(NAMESPACE);
        values.forEach(template::set);
        return Kustomize.parse(template.call());
    }

    private static void assertRestricted(PodSpec pod) {
        var podSecurity = pod.getSecurityContext();
        assertEquals(Boolean.TRUE, podSecurity.getRunAsNonRoot());
        assertTrue(podSecurity.getRunAsUser() > 0);
        assertEquals("RuntimeDefault", podSecurity.getSeccompProfile().getType());
        assertNull(pod.getHostNetwork());
        for (Container container : pod.getContainers()) {
            var security = container.getSecurityContext();
            assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation());
            assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem());
            assertEquals(Boolean.TRUE, security.getRunAsNonRoot());
            assertEquals(List.of("ALL"), security.getCapabilities().getDrop());
            assertTrue(security.getCapabilities().getAdd() == null
                    || security.getCapabilities().getAdd().isEmpty());
            assertNull(security.getPrivileged());
        }
        assertTrue(pod.getVolumes().stream().allMatch(v -> v.getHostPath() == null), "no hostPath");
    }

    private static void assertProbe(String path, Probe probe) {
        assertNotNull(probe, path);
        assertEquals(path, probe.getHttpGet().getPath());
        assertEquals("management", probe.getHttpGet().getPort().getStrVal());
    }

    /**
     * Every Role and ClusterRole grants at most what {@link #ALLOWED} allows; the kube-system namespace only by name.
     */
    private static void assertRbacNoWiderThanTheCode(List<HasMetadata> objects) {
        List<PolicyRule> rules = new ArrayList<>();
        kinds(objects, Role.class).forEach(role -> rules.addAll(role.getRules()));
        kinds(objects, ClusterRole.class).forEach(role -> rules.addAll(role.getRules()));
        assertFalse(rules.isEmpty());
        for (PolicyRule rule : rules) {
            assertEquals(1, rule.getApiGroups().size(), "one API group a rule");
            assertTrue(
                    rule.getResources().equals(List.of("namespaces"))
                            ? rule.getResourceNames().equals(List.of("kube-system"))
                            : rule.getResourceNames() == null
                                    || rule.getResourceNames().isEmpty());
            assertTrue(rule.getNonResourceURLs() == null
                    || rule.getNonResourceURLs().isEmpty());
            for (String resource : rule.getResources()) {
                String key = rule.getApiGroups().get(0) + "/" + resource;
                assertTrue(ALLOWED.containsKey(key), "a grant on " + key);
                assertTrue(ALLOWED.get(key).containsAll(rule.getVerbs()), key + ": " + rule.getVerbs());
            }
        }
    }

    private static Set<String> verbs(List<PolicyRule> rules, String resource) {
        Set<String> verbs = new HashSet<>();
        rules.stream()
                .filter(rule -> rule.getResources().contains(resource))
                .forEach(rule -> verbs.addAll(rule.getVerbs()));
        return verbs;
    }

    private static Map<String, String> settings(List<HasMetadata> objects) {
        return named(objects, ConfigMap.class, "sw-stagewatch").getData();
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream()
                .filter(env -> env.getName().equals(name))
                .findFirst()
                .orElse(null);
    }

    private static GenericKubernetesResource custom(List<HasMetadata> objects, String kind) {
        return objects.stream()
                .filter(o -> o.getKind().equals(kind))
                .map(GenericKubernetesResource.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("a " + kind));
    }

    private static <T extends HasMetadata> List<T> kinds(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> kind) {
        List<T> found = kinds(objects, kind);
        assertEquals(1, found.size(), "one " + kind.getSimpleName());
        return found.get(0);
    }

    private static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> kind, String name) {
        return kinds(objects, kind).stream()
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("a " + kind.getSimpleName() + " " + name));
    }
}
