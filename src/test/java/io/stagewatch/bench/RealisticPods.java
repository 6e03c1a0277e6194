package io.stagewatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.stagewatch.run.RunStatus;
import io.stagewatch.testing.Pods;
import java.util.UUID;

/**
 * Workflow pods as a CI/CD platform's Job controller and the kubelet leave them in the API server: the status the
 * test pod builder writes, plus what real pods carry and stagewatch never reads: managedFields of the controller and
 * the kubelet, owner references, a dozen env entries (one a JSON event of the kind Devtron passes), volume mounts and
 * volumes (with the projected service-account token), resources, tolerations, the platform's labels and annotations,
 * pod IPs and the usual conditions. About 7 KB of JSON each.
 *
 * <p>
 * The mix: of every 20 pods, 6 running, 2 pending, 10 succeeded, 2 failed (exit code 1).
 */
final class RealisticPods {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAMESPACES = "ci-";
    private static final int NAMESPACE_COUNT = 20;

    /** One pod of the benchmark: where it lives and the status stagewatch must record for it. */
    record Built(String namespace, String name, String uid, RunStatus expected, ObjectNode json) {}

    private RealisticPods() {}

    static Built pod(int index) {
        String namespace = NAMESPACES + (index % NAMESPACE_COUNT);
        String workflow = "build-" + index;
        String name = workflow + "-" + Integer.toString(index * 7919 % 46656, 36) + "x7q";
        String uid = UUID.nameUUIDFromBytes(("scale-" + index).getBytes()).toString();
        int slot = index % 20;
        Pods pods = Pods.workflow(namespace, name, index % 3 == 0 ? "ci" : index % 3 == 1 ? "pre-cd" : "post-cd")
                .uid(uid)
                .label("stagewatch.io/workflow", workflow)
                .pipeline("payments-api-" + index % 50);
        RunStatus expected;
        if (slot < 6) {
            pods.running();
            expected = RunStatus.RUNNING;
        } else if (slot < 8) {
            pods.pending();
            expected = RunStatus.PENDING;
        } else if (slot < 18) {
            pods.succeeded();
            expected = RunStatus.SUCCEEDED;
        } else {
            pods.failed(1);
            expected = RunStatus.FAILED;
        }
        Pod pod = pods.with(builder -> builder.editMetadata().withFinalizers().endMetadata())
                .build();
        ObjectNode json = JSON.valueToTree(pod);
        decorate(json, index, workflow);
        return new Built(namespace, name, uid, expected, json);
    }

    private static void decorate(ObjectNode pod, int index, String workflow) {
        String jobUid = UUID.nameUUIDFromBytes(("job-" + index).getBytes()).toString();
        String node = "node-" + index % 40;
        String ip = "10.42." + index % 250 + "." + (index / 250) % 250;
        ObjectNode meta = (ObjectNode) pod.get("metadata");
        meta.put("generateName", workflow + "-");
        ObjectNode labels = (ObjectNode) meta.get("labels");
        labels.put("app.kubernetes.io/managed-by", "devtron");
        labels.put("batch.kubernetes.io/controller-uid", jobUid);
        labels.put("batch.kubernetes.io/job-name", workflow);
        labels.put("controller-uid", jobUid);
        labels.put("job-name", workflow);
        labels.put("devtron.ai/pipeline-id", Integer.toString(index % 50));
        ObjectNode annotations = meta.putObject("annotations");
        annotations.put("cluster-autoscaler.kubernetes.io/safe-to-evict", "false");
        annotations.put("kubectl.kubernetes.io/default-container", "main");
        meta.putArray("ownerReferences")
                .addObject()
                .put("apiVersion", "batch/v1")
                .put("kind", "Job")
                .put("name", workflow)
                .put("uid", jobUid)
                .put("controller", true)
                .put("blockOwnerDeletion", true);
        meta.set("managedFields", managedFields(meta.get("creationTimestamp")));

        ObjectNode spec = (ObjectNode) pod.get("spec");
        ObjectNode main = (ObjectNode) spec.get("containers").get(0);
        main.putArray("command").add("/bin/sh").add("-c");
        main.putArray("args").add("git clone \"$GIT_URL\" /workspace/src && cd /workspace/src && ./ci/build.sh");
        ArrayNode env = main.putArray("env");
        env(env, "GIT_URL", "https://git.example.org/payments/payments-api-" + index % 50 + ".git");
        env(env, "GIT_REF", "refs/heads/main");
        env(env, "GIT_SHA", String.format("%08x", index * 2654435761L) + "c0ffee5d1e");
        env(env, "PIPELINE_ID", Integer.toString(index % 50));
        env(env, "WORKFLOW_ID", Integer.toString(index));
        env(env, "DOCKER_REGISTRY", "registry.example.org/payments");
        env(env, "DOCKER_IMAGE_TAG", "build-" + index);
        env(env, "BUILD_CACHE", "s3://ci-cache/payments-api");
        env(env, "HTTP_PROXY", "http://proxy.example.org:3128");
        env(env, "NO_PROXY", "10.0.0.0/8,.svc,.cluster.local,localhost,127.0.0.1");
        env(
                env,
                "CI_CD_EVENT",
                "{\"type\":1,\"commonWorkflowRequest\":{\"workflowNamePrefix\":\"" + workflow
                        + "\",\"pipelineName\":\"payments-api-" + index % 50 + "\",\"pipelineId\":" + index % 50
                        + ",\"dockerRegistryId\":\"example\",\"dockerRepository\":\"payments/api\",\"checkoutPath\":\"./\","
                        + "\"ciProjectDetails\":[{\"gitRepository\":\"https://git.example.org/payments/api.git\","
                        + "\"materialName\":\"1-api\",\"commitHash\":\"c0ffee5d1e\",\"type\":\"SOURCE_TYPE_BRANCH_FIXED\"}],"
                        + "\"blobStorageConfigured\":true,\"ciBuildConfig\":{\"ciBuildType\":\"self-dockerfile-build\"}}}");
        env.addObject()
                .put("name", "POD_NAME")
                .putObject("valueFrom")
                .putObject("fieldRef")
                .put("apiVersion", "v1")
                .put("fieldPath", "metadata.name");
        main.put("imagePullPolicy", "IfNotPresent");
        ObjectNode resources = main.putObject("resources");
        resources.putObject("requests").put("cpu", "500m").put("memory", "1Gi");
        resources.putObject("limits").put("cpu", "2").put("memory", "4Gi");
        ArrayNode mounts = main.putArray("volumeMounts");
        mounts.addObject().put("name", "workspace").put("mountPath", "/workspace");
        mounts.addObject()
                .put("name", "docker-config")
                .put("mountPath", "/root/.docker")
                .put("readOnly", true);
        mounts.addObject()
                .put("name", "kube-api-access-" + index % 1000)
                .put("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount")
                .put("readOnly", true);
        main.put("terminationMessagePath", "/dev/termination-log").put("terminationMessagePolicy", "File");
        spec.put("dnsPolicy", "ClusterFirst")
                .put("enableServiceLinks", true)
                .put("nodeName", node)
                .put("preemptionPolicy", "PreemptLowerPriority")
                .put("priority", 0)
                .put("schedulerName", "default-scheduler")
                .put("serviceAccount", "ci-runner")
                .put("serviceAccountName", "ci-runner")
                .put("terminationGracePeriodSeconds", 30);
        spec.putObject("securityContext");
        ArrayNode tolerations = spec.putArray("tolerations");
        for (String taint : new String[] {"not-ready", "unreachable"}) {
            tolerations
                    .addObject()
                    .put("effect", "NoExecute")
                    .put("key", "node.kubernetes.io/" + taint)
                    .put("operator", "Exists")
                    .put("tolerationSeconds", 300);
        }
        ArrayNode volumes = spec.putArray("volumes");
        volumes.addObject().put("name", "workspace").putObject("emptyDir").put("sizeLimit", "10Gi");
        volumes.addObject()
                .put("name", "docker-config")
                .putObject("secret")
                .put("secretName", "regcred")
                .put("defaultMode", 420);
        ObjectNode projected = volumes.addObject()
                .put("name", "kube-api-access-" + index % 1000)
                .putObject("projected");
        projected.put("defaultMode", 420);
        ArrayNode sources = projected.putArray("sources");
        sources.addObject()
                .putObject("serviceAccountToken")
                .put("expirationSeconds", 3607)
                .put("path", "token");
        sources.addObject()
                .putObject("configMap")
                .put("name", "kube-root-ca.crt")
                .putArray("items")
                .addObject()
                .put("key", "ca.crt")
                .put("path", "ca.crt");
        sources.addObject()
                .putObject("downwardAPI")
                .putArray("items")
                .addObject()
                .put("path", "namespace")
                .putObject("fieldRef")
                .put("apiVersion", "v1")
                .put("fieldPath", "metadata.namespace");

        ObjectNode status = (ObjectNode) pod.get("status");
        String at = meta.get("creationTimestamp") == null
                ? "2026-03-02T10:00:00Z"
                : meta.get("creationTimestamp").asText();
        ArrayNode conditions =
                status.has("conditions") ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
        for (String type :
                new String[] {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
            conditions
                    .addObject()
                    .put("type", type)
                    .put("status", "True")
                    .putNull("lastProbeTime")
                    .put("lastTransitionTime", at);
        }
        status.put("hostIP", "192.168.7." + index % 40)
                .put("podIP", ip)
                .put("qosClass", "Burstable")
                .put("startTime", at);
        status.putArray("hostIPs").addObject().put("ip", "192.168.7." + index % 40);
        status.putArray("podIPs").addObject().put("ip", ip);
        JsonNode statuses = status.get("containerStatuses");
        if (statuses != null) {
            for (JsonNode containerStatus : statuses) {
                ((ObjectNode) containerStatus)
                        .put("containerID", "containerd://" + jobUid.replace("-", "") + index)
                        .put(
                                "imageID",
                                "registry.example.org/ci-runner@sha256:"
                                        + "4f1b0c9a7e2d3c5b6a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c0b")
                        .put("started", containerStatus.path("state").has("running"));
            }
        }
    }

    private static void env(ArrayNode env, String name, String value) {
        env.addObject().put("name", name).put("value", value);
    }

    private static ArrayNode managedFields(JsonNode time) {
        String at = time == null ? "2026-03-02T10:00:00Z" : time.asText();
        ArrayNode fields = JSON.createArrayNode();
        ObjectNode controller = fields.addObject()
                .put("apiVersion", "v1")
                .put("fieldsType", "FieldsV1")
                .put("manager", "kube-controller-manager")
                .put("operation", "Update")
                .put("time", at);
        ObjectNode v1 = controller.putObject("fieldsV1");
        ObjectNode metadata = v1.putObject("f:metadata");
        metadata.putObject("f:generateName");
        ObjectNode labels = metadata.putObject("f:labels");
        for (String label : new String[] {
            "app.kubernetes.io/managed-by",
            "batch.kubernetes.io/controller-uid",
            "batch.kubernetes.io/job-name",
            "controller-uid",
            "job-name",
            "stagewatch.io/pipeline",
            "stagewatch.io/stage",
            "stagewatch.io/workflow",
            "devtron.ai/pipeline-id"
        }) {
            labels.putObject("f:" + label);
        }
        metadata.putObject("f:ownerReferences").putObject("k:{\"uid\":\"...\"}");
        ObjectNode spec = v1.putObject("f:spec");
        ObjectNode main = spec.putObject("f:containers").putObject("k:{\"name\":\"main\"}");
        main.putObject(".");
        for (String field : new String[] {
            "f:args",
            "f:command",
            "f:image",
            "f:imagePullPolicy",
            "f:name",
            "f:resources",
            "f:terminationMessagePath",
            "f:terminationMessagePolicy",
            "f:volumeMounts"
        }) {
            main.putObject(field);
        }
        ObjectNode env = main.putObject("f:env");
        for (String name : new String[] {
            "GIT_URL",
            "GIT_REF",
            "GIT_SHA",
            "PIPELINE_ID",
            "WORKFLOW_ID",
            "DOCKER_REGISTRY",
            "DOCKER_IMAGE_TAG",
            "BUILD_CACHE",
            "HTTP_PROXY",
            "NO_PROXY",
            "CI_CD_EVENT",
            "POD_NAME"
        }) {
            env.putObject("k:{\"name\":\"" + name + "\"}").putObject(".");
        }
        for (String field : new String[] {
            "f:dnsPolicy",
            "f:enableServiceLinks",
            "f:restartPolicy",
            "f:schedulerName",
            "f:securityContext",
            "f:serviceAccount",
            "f:serviceAccountName",
            "f:terminationGracePeriodSeconds",
            "f:volumes"
        }) {
            spec.putObject(field);
        }
        ObjectNode kubelet = fields.addObject()
                .put("apiVersion", "v1")
                .put("fieldsType", "FieldsV1")
                .put("manager", "kubelet")
                .put("operation", "Update")
                .put("subresource", "status")
                .put("time", at);
        ObjectNode status = kubelet.putObject("fieldsV1").putObject("f:status");
        ObjectNode conditions = status.putObject("f:conditions");
        for (String type : new String[] {"ContainersReady", "Initialized", "PodReadyToStartContainers", "Ready"}) {
            ObjectNode condition = conditions.putObject("k:{\"type\":\"" + type + "\"}");
            for (String field : new String[] {".", "f:lastProbeTime", "f:lastTransitionTime", "f:status", "f:type"}) {
                condition.putObject(field);
            }
        }
        for (String field : new String[] {
            "f:containerStatuses", "f:hostIP", "f:hostIPs", "f:phase", "f:podIP", "f:podIPs", "f:startTime"
        }) {
            status.putObject(field);
        }
        return fields;
    }
}
