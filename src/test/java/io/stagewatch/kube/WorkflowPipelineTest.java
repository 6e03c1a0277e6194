package io.stagewatch.kube;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.ValidatableResponse;
import io.stagewatch.testing.AllProfiles;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.Fixtures;
import io.stagewatch.testing.Fixtures.WorkflowFixture;
import io.stagewatch.testing.Fixtures.WorkflowPod;
import io.stagewatch.testing.Pods;
import io.stagewatch.testing.SseClient;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workflows judged in the running service (issue 24): the platforms' objects (the Argo Workflow CRD created here, Jobs
 * built in; Tekton's answered 404, as without its CRD) and their pods through the mock API server, the informers,
 * the pipeline, the workflow judging and PostgreSQL, read back over REST and the feed.
 */
@QuarkusTest
@WithKubernetesTestServer(setup = WorkflowPipelineTest.NoTekton.class)
@TestProfile(AllProfiles.class)
class WorkflowPipelineTest {

    /** The API server of a cluster without Tekton: its kinds are not found (the CRUD mock serves any kind). */
    public static class NoTekton implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            for (String plural : new String[] {"pipelineruns", "taskruns"}) {
                server.expect()
                        .get()
                        .withPath("/apis/tekton.dev/v1/" + plural + "?limit=500") // the LIST of its informer
                        .andReturn(404, "{\"kind\":\"Status\",\"code\":404,\"reason\":\"NotFound\"}")
                        .always();
            }
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ResourceDefinitionContext ARGO = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io")
            .withVersion("v1alpha1")
            .withKind("Workflow")
            .withPlural("workflows")
            .withNamespaced(true)
            .build();

    @Inject
    KubernetesClient client;

    @Inject
    PodWatch watch;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/api/feed")
    URL feed;

    Cluster cluster;

    @BeforeEach
    void argoWorkflowsAreServed() {
        cluster = new Cluster(client);
        if (client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName("workflows.argoproj.io")
                        .get()
                == null) {
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd())
                    .create();
            watch.watchdog(); // the Workflow watch failed at start without its CRD: started again now
        }
    }

    @Test
    void aStepKilledByANodeShutdownFailsTheWorkflowArgoCallsSucceeded() {
        String uid = play(fixture("argo-01-node-shutdown-exit-0-under-succeeded.json"));

        awaitWorkflow(uid, "FAILED")
                .body("platform", equalTo("argo"))
                .body("kind", equalTo("Workflow"))
                .body("cause", equalTo("INFRASTRUCTURE"))
                .body("reason", equalTo("NODE_SHUTDOWN"))
                .body("platformStatus", equalTo("Succeeded"))
                .body("contradiction", equalTo(true))
                .body("infrastructureRetries", equalTo(0))
                .body("runs", hasSize(2))
                .body("runs.find { it.step == 'build' }.reason", equalTo("NODE_SHUTDOWN"));
        String run = given().get("/api/workflows/{uid}", uid).then().extract().path("runs[0].uid");
        given().get("/api/runs/{uid}", run).then().body("workflowUid", equalTo(uid));
        given().get("/api/workflows?contradiction=true&platform=argo")
                .then()
                .statusCode(200)
                .body("items.uid", org.hamcrest.Matchers.hasItem(uid));
    }

    @Test
    void anEvictedStepRetriedSuccessfullyLeavesTheWorkflowSucceededWithOneRetryAbsorbed() {
        String uid = play(fixture("argo-02-evicted-step-retried-successfully.json"));

        awaitWorkflow(uid, "SUCCEEDED")
                .body("reason", nullValue())
                .body("platformStatus", equalTo("Succeeded"))
                .body("contradiction", equalTo(false))
                .body("infrastructureRetries", equalTo(1));
    }

    @Test
    void aJobWhosePodWasDeletedAndReplacedSucceeds() {
        String uid = play(fixture("job-01-taint-deletion-replaced.json"));

        awaitWorkflow(uid, "SUCCEEDED")
                .body("kind", equalTo("Job"))
                .body("platformStatus", equalTo("Complete"))
                .body("infrastructureRetries", equalTo(1))
                .body("runs", hasSize(2));
    }

    @Test
    void aWorkflowWhoseObjectCannotBeReadIsDecidedFromItsPodsAfterTheSettleTime() {
        // no Tekton in this cluster (NoTekton): the PipelineRun is never read, its pods decide
        WorkflowFixture fixture = fixture("tekton-02-taskrun-succeeded-after-eviction.json");
        String uid = fixture.object().path("metadata").path("uid").asText();
        playPods(fixture, fixture.object().path("metadata").path("uid").asText(), uid);

        awaitWorkflow(uid, "FAILED")
                .body("kind", equalTo("PipelineRun"))
                .body("reason", equalTo("EVICTED"))
                .body("platformStatus", nullValue())
                .body("contradiction", equalTo(false));
        assertTrue(
                registry.find("stagewatch.workflows.unwatched")
                                .tag("kind", "PipelineRun")
                                .counter()
                                .count()
                        > 0,
                "the watch that could not start is counted");
    }

    @Test
    void theFeedCarriesWorkflowTransitionsAsWorkflowEvents() {
        try (SseClient sse = new SseClient(feed.toString(), null)) {
            await().atMost(WAIT).until(() -> sse.status() == 200);
            String uid = play(fixture("argo-01-node-shutdown-exit-0-under-succeeded.json"));

            await().atMost(WAIT)
                    .until(() -> sse.events().stream()
                            .anyMatch(event -> "workflow".equals(event.name())
                                    && event.data().contains("\"uid\":\"" + uid + "\"")
                                    && event.data().contains("\"to\":\"FAILED\"")));
            List<SseClient.Event> events = sse.events().stream()
                    .filter(event -> event.id() != null) // risk events have none
                    .toList();
            for (int i = 1; i < events.size(); i++) {
                assertTrue(
                        events.get(i).position().isAfter(events.get(i - 1).position()),
                        "one order for runs and workflows: " + events);
            }
            assertEquals(
                    List.of("PENDING", "FAILED"),
                    events.stream()
                            .filter(event -> "workflow".equals(event.name())
                                    && event.data().contains(uid))
                            .map(event -> read(event.data()).path("to").asText())
                            .toList(),
                    "the workflow's transitions, each once");
        }
    }

    /**
     * Creates the fixture's object under a name and UID of its own (a fixture may be played twice in one database),
     * then its pods, linked to it; returns the object's UID as the server keeps it.
     */
    private String play(WorkflowFixture fixture) {
        ObjectNode object = fixture.object().deepCopy();
        String fixtureUid = object.path("metadata").path("uid").asText();
        ObjectNode metadata = (ObjectNode) object.get("metadata");
        metadata.put("name", Pods.name(metadata.path("name").asText()));
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.remove("resourceVersion");
        String namespace = metadata.path("namespace").asText();
        String uid = "Job".equals(object.path("kind").asText())
                ? client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(namespace)
                        .resource(JSON.convertValue(object, Job.class))
                        .create()
                        .getMetadata()
                        .getUid()
                : client.genericKubernetesResources(ARGO)
                        .inNamespace(namespace)
                        .resource(JSON.convertValue(object, GenericKubernetesResource.class))
                        .create()
                        .getMetadata()
                        .getUid();
        playPods(fixture, fixtureUid, uid);
        return uid;
    }

    /** Plays the fixture's pods in order, each recorded before the next, their links to the workflow's UID moved. */
    private void playPods(WorkflowFixture fixture, String fixtureUid, String uid) {
        for (WorkflowPod pod : fixture.pods()) {
            Pod linked = JSON.convertValue(read(write(pod.pod()).replace(fixtureUid, uid)), Pod.class);
            String run = cluster.replay(linked, "DELETED".equals(pod.event()))
                    .getMetadata()
                    .getUid();
            await().atMost(WAIT)
                    .untilAsserted(() -> given().get("/api/runs/{uid}", run)
                            .then()
                            .statusCode(200)
                            .body("workflowUid", equalTo(uid)));
        }
    }

    private static ValidatableResponse awaitWorkflow(String uid, String status) {
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/workflows/{uid}", uid)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo(status)));
        return given().get("/api/workflows/{uid}", uid).then();
    }

    private static WorkflowFixture fixture(String file) {
        return Fixtures.workflows().stream()
                .filter(fixture -> fixture.file().equals(file))
                .findFirst()
                .orElseThrow();
    }

    private static CustomResourceDefinition crd() {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("workflows.argoproj.io")
                .endMetadata()
                .withNewSpec()
                .withGroup("argoproj.io")
                .withScope("Namespaced")
                .withNewNames()
                .withKind("Workflow")
                .withPlural("workflows")
                .withSingular("workflow")
                .withListKind("WorkflowList")
                .endNames()
                .addNewVersion()
                .withName("v1alpha1")
                .withServed(true)
                .withStorage(true)
                .withNewSchema()
                .withNewOpenAPIV3Schema()
                .withType("object")
                .withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema()
                .endSchema()
                .endVersion()
                .endSpec()
                .build();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
