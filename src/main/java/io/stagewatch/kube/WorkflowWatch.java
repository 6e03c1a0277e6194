package io.stagewatch.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.stagewatch.pipeline.WorkflowJudging;
import io.stagewatch.platform.Profile;
import io.stagewatch.run.Platform;
import io.stagewatch.workflow.MalformedWorkflowException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The workflow objects of one cluster's enabled profiles (Argo {@code Workflow}s for argo and devtron, Tekton
 * {@code PipelineRun}s and {@code TaskRun}s, {@code Job}s for job and devtron), each in the profile's namespaces:
 * built for one (cluster, client), started and stopped beside that cluster's pod informers. Each object is decoded
 * ({@link WorkflowDecoder}, whitelisted fields only) as it arrives and handed to {@link WorkflowJudging}; the informer's
 * cache keeps only each object's name, namespace, version and UID, never its spec or status, where secrets live. A kind
 * whose CRD is missing (404) or that stagewatch may not read (403) is logged once and counted: its workflows are judged
 * from their pods alone.
 */
final class WorkflowWatch {

    private static final Logger LOG = Logger.getLogger(WorkflowWatch.class);

    /** One LIST and watch: a kind in one namespace (null: all), decoded as the given platform's. */
    record Source(Kind kind, String namespace, Platform platform) {}

    /**
     * A kind of workflow object, as the API server serves it: named in full, so that no discovery is needed (a
     * discovery that fails for a missing CRD would fail the start).
     */
    record Kind(String group, String version, String kind, String plural) {

        String apiVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }

        ResourceDefinitionContext context() {
            return new ResourceDefinitionContext.Builder()
                    .withGroup(group)
                    .withVersion(version)
                    .withKind(kind)
                    .withPlural(plural)
                    .withNamespaced(true)
                    .build();
        }
    }

    private static final Kind ARGO_WORKFLOW = new Kind("argoproj.io", "v1alpha1", "Workflow", "workflows");
    private static final Kind JOB = new Kind("batch", "v1", "Job", "jobs");
    private static final Kind PIPELINE_RUN = new Kind("tekton.dev", "v1", "PipelineRun", "pipelineruns");
    private static final Kind TASK_RUN = new Kind("tekton.dev", "v1", "TaskRun", "taskruns");

    private final String cluster;
    private final KubernetesClient client;
    private final WorkflowJudging judging;
    private final KubeMetrics metrics;
    /** The LIST's page size, as the pod informers': a cluster may hold many Jobs. */
    private final long pageSize;

    private final List<Source> sources;
    private final Map<Source, SharedIndexInformer<GenericKubernetesResource>> informers = new LinkedHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    WorkflowWatch(
            String cluster,
            KubernetesClient client,
            List<Profile> profiles,
            WorkflowJudging judging,
            KubeMetrics metrics,
            long pageSize) {
        this.cluster = cluster;
        this.pageSize = pageSize;
        this.client = client;
        this.judging = judging;
        this.metrics = metrics;
        this.sources = sources(profiles);
    }

    /**
     * The objects the profiles' pods belong to, in each profile's namespaces; a kind two profiles share in a namespace
     * is watched once, as the more specific profile's (the profiles come most specific first).
     */
    static List<Source> sources(List<Profile> profiles) {
        Map<String, Source> sources = new LinkedHashMap<>();
        for (Profile profile : profiles) {
            for (Kind kind : kinds(profile.platform())) {
                List<String> namespaces = profile.namespaces().isEmpty()
                        ? Collections.singletonList(null)
                        : profile.namespaces().stream().sorted().toList();
                for (String namespace : namespaces) {
                    sources.putIfAbsent(kind.kind() + "/" + namespace, new Source(kind, namespace, profile.platform()));
                }
            }
        }
        return List.copyOf(sources.values());
    }

    /** The kinds of the objects a platform's pods belong to. */
    private static List<Kind> kinds(Platform platform) {
        return switch (platform) {
            case ARGO -> List.of(ARGO_WORKFLOW);
            case DEVTRON -> List.of(ARGO_WORKFLOW, JOB);
            case TEKTON -> List.of(PIPELINE_RUN, TASK_RUN);
            case JOB -> List.of(JOB);
            case STAGEWATCH -> List.of();
        };
    }

    synchronized void start() {
        sources.forEach(source -> informers.put(source, start(source)));
    }

    private SharedIndexInformer<GenericKubernetesResource> start(Source source) {
        var resources = client.genericKubernetesResources(source.kind().context());
        SharedIndexInformer<GenericKubernetesResource> informer = source.namespace() == null
                ? resources.inAnyNamespace().withLimit(pageSize).runnableInformer(0)
                : resources.inNamespace(source.namespace()).withLimit(pageSize).runnableInformer(0);
        informer.itemStore(new ReducedStateItemStore<>(
                ReducedStateItemStore.NAME_KEY_STATE,
                GenericKubernetesResource.class,
                client.getKubernetesSerialization(),
                "metadata.uid"));
        informer.addEventHandler(new Handler(source.platform()));
        informer.start().whenComplete((ignored, failure) -> {
            if (failure != null) {
                refused(source, failure);
            }
        });
        return informer;
    }

    /**
     * Starts each stopped informer again: a failed first start (a CRD installed since, a right granted since), a watch
     * error fabric8 does not recover from. Called by the pod informers' watchdog.
     */
    synchronized void restartStopped() {
        informers.replaceAll((source, informer) -> {
            if (!informer.stopped().toCompletableFuture().isDone()) {
                return informer;
            }
            informer.stop();
            return start(source);
        });
    }

    synchronized void stop() {
        informers.values().forEach(SharedIndexInformer::stop);
        informers.clear();
    }

    /**
     * A kind the API server does not serve (its CRD is missing: 404) or will not show stagewatch (403): said once per
     * kind and namespace, and counted at every try; its workflows are judged from their pods alone until the
     * watchdog's next try succeeds.
     */
    private void refused(Source source, Throwable failure) {
        Throwable cause = failure;
        while (!(cause instanceof KubernetesClientException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        int code = cause instanceof KubernetesClientException refused ? refused.getCode() : 0;
        String where = source.namespace() == null ? "any namespace" : "namespace " + source.namespace();
        metrics.workflowsUnwatched(source.kind().kind(), code == 404 || code == 403 ? Integer.toString(code) : "other");
        if (warned.add(source.kind().kind() + "/" + source.namespace())) {
            LOG.warnf(
                    "Cluster %s: cannot watch %s %s in %s (%s); their workflows are judged from their pods alone,"
                            + " without the platform's word (%s), until a later try succeeds",
                    cluster,
                    source.kind().apiVersion(),
                    source.kind().kind(),
                    where,
                    code == 404
                            ? "404: the CRD is not installed"
                            : code == 403 ? "403: stagewatch needs get, list and watch on it" : failure.getMessage(),
                    "platformStatus null");
        }
    }

    /** Decodes each object as it arrives and hands it on: the judging runs asynchronously. */
    private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {

        private final Platform platform;

        Handler(Platform platform) {
            this.platform = platform;
        }

        @Override
        public void onAdd(GenericKubernetesResource object) {
            changed(object);
        }

        @Override
        public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource object) {
            changed(object);
        }

        @Override
        public void onDelete(GenericKubernetesResource object, boolean deletedFinalStateUnknown) {
            if (object.getMetadata() != null && object.getMetadata().getUid() != null) {
                judging.objectGone(object.getMetadata().getUid());
            }
        }

        private void changed(GenericKubernetesResource object) {
            try {
                JsonNode json = client.getKubernetesSerialization().convertValue(object, JsonNode.class);
                judging.objectChanged(WorkflowDecoder.decode(json, platform));
            } catch (MalformedWorkflowException e) {
                metrics.workflowInvalid(e.problem());
                String uid = object.getMetadata() == null
                        ? null
                        : object.getMetadata().getUid();
                if (warned.add(uid + "/" + e.problem())) {
                    LOG.warnf("Skipping %s %s: %s", object.getKind(), uid, e.getMessage());
                }
            }
        }
    }
}
