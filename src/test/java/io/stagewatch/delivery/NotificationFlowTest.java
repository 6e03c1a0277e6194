package io.stagewatch.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.MailSink;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Transitions become mails, one per (run, event, recipient), through the outbox and a real SMTP server. */
@QuarkusTest
@MockCluster
class NotificationFlowTest {

    @RegisterExtension
    static final MailSink SMTP = MailSink.on(MailSink.TEST_PORT);

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Test
    void devtronCaseSucceededPostCdRedeliveredFiftyTimesSendsOneSuccessMailPerRecipient() {
        String pipeline = "devtron-" + Pods.name("p");
        String ruleRecipient = Pods.name("oncall") + "@example.org";
        String annotated = Pods.name("dev") + "@example.org";
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "post-cd results",
                        "pipeline",
                        "devtron-*",
                        "stages",
                        List.of("POST_CD"),
                        "events",
                        List.of("SUCCEEDED", "FAILED"),
                        "recipients",
                        List.of(ruleRecipient)))
                .post("/api/notification-rules")
                .then()
                .statusCode(201);
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(Pods.workflow("ci", Pods.name("deploy"), "post-cd")
                .pipeline(pipeline)
                .running()
                .notify(annotated)
                .build());
        Pod done = cluster.update(pod, p -> p.succeeded());
        await().atMost(WAIT)
                .until(() -> SMTP.subjects(annotated).stream().anyMatch(s -> s.contains("SUCCEEDED"))
                        && SMTP.subjects(ruleRecipient).stream().anyMatch(s -> s.contains("SUCCEEDED")));

        for (int i = 0; i < 50; i++) {
            int n = i;
            cluster.update(done, p -> p.label("resync", "n" + n));
        }
        double passes = reconcilePasses();
        await().atMost(WAIT).until(() -> reconcilePasses() >= passes + 2);
        await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).until(() -> true);

        assertEquals(1, count(SMTP.subjects(annotated), "SUCCEEDED"), "one success mail: " + SMTP.subjects(annotated));
        assertEquals(1, count(SMTP.subjects(annotated), "STARTED"), "the annotation asks for every event");
        assertEquals(
                List.of("[stagewatch] POST_CD SUCCEEDED " + pipeline + " "
                        + pod.getMetadata().getName()),
                SMTP.subjects(ruleRecipient),
                "the rule asks for SUCCEEDED and FAILED only");
    }

    @Test
    void failedWithExit143ThenDeletedSendsOneFailureMail() {
        String to = Pods.name("ops") + "@example.org";
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(Pods.workflow("ci", Pods.name("build"), "ci")
                .running()
                .notify(to)
                .build());
        String uid = pod.getMetadata().getUid();
        pod = cluster.update(pod, p -> p.failed(143));
        await().atMost(WAIT).until(() -> count(SMTP.subjects(to), "FAILED") == 1);

        cluster.forceDelete(pod);
        await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);

        given().get("/api/runs/{uid}/transitions", uid)
                .then()
                .body("", hasSize(2))
                .body("[1].to", equalTo("FAILED"))
                .body("[1].reason", equalTo("EXIT_CODE"));
        assertEquals(1, count(SMTP.subjects(to), "FAILED"), SMTP.subjects(to).toString());
        given().get("/api/runs/{uid}/notifications", uid)
                .then()
                .statusCode(200)
                .body("", hasSize(2))
                .body("find { it.event == 'FAILED' }.status", equalTo("SENT"))
                .body("find { it.event == 'FAILED' }.recipient", equalTo(to));
    }

    @Test
    void failedRunFollowedByAStaleSuccessNeverSendsASuccessMail() {
        String to = Pods.name("ops") + "@example.org";
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(Pods.workflow("ci", Pods.name("build"), "ci")
                .running()
                .notify(to)
                .build());
        cluster.update(pod, p -> p.failed(1));
        await().atMost(WAIT).until(() -> count(SMTP.subjects(to), "FAILED") == 1);
        double rejected = rejected();

        cluster.update(pod, p -> p.succeeded());
        await().atMost(WAIT).until(() -> rejected() > rejected);
        await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);

        assertEquals(0, count(SMTP.subjects(to), "SUCCEEDED"), SMTP.subjects(to).toString());
    }

    @Test
    void mailSubjectAndBodyDescribeTheRunWithPodTextEscaped() throws Exception {
        String to = Pods.name("ops") + "@example.org";
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(Pods.workflow("ci", Pods.name("build"), "post-cd")
                .running()
                .notify(to)
                .build());
        cluster.update(
                pod, p -> p.failed(143).reason("Terminated", "<script>alert(1)</script>\r\nBcc: victim@example.org"));
        await().atMost(WAIT).until(() -> count(SMTP.subjects(to), "FAILED") == 1);

        var mail = SMTP.to(to).stream()
                .filter(m -> MailSink.subject(m).contains("FAILED"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                "[stagewatch] POST_CD FAILED payments-api " + pod.getMetadata().getName() + " (node shutdown)",
                MailSink.subject(mail));
        String html = MailSink.part(mail, "text/html");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "pod text is escaped in HTML: " + html);
        assertFalse(html.contains("<script>"), "no raw pod markup in the HTML part");
        String text = MailSink.part(mail, "text/plain");
        assertTrue(text.contains("node shutdown (NODE_SHUTDOWN)"), "the reason in words and code: " + text);
        assertTrue(text.contains("the platform ended the job"), "the cause in words: " + text);
        assertTrue(text.contains("ci/" + pod.getMetadata().getName()), "namespace/pod: " + text);
        assertTrue(text.contains("Duration:"), "started, finished and duration: " + text);
        assertEquals(1, mail.getAllRecipients().length, "no header injection");
    }

    private static long count(List<String> subjects, String event) {
        return subjects.stream().filter(s -> s.contains(" " + event + " ")).count();
    }

    private double reconcilePasses() {
        var timer = registry.find("stagewatch.reconcile.duration").timer();
        return timer == null ? 0 : timer.count();
    }

    private double rejected() {
        Counter counter = registry.find("stagewatch.transitions.rejected")
                .tags("from", "FAILED", "to", "SUCCEEDED")
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
