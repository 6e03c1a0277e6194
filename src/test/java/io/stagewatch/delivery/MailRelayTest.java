package io.stagewatch.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.stagewatch.run.ClusterText;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.MailSink;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pod cannot turn stagewatch into an open mail relay: its notify annotation names few recipients, only from allowed
 * namespaces and at allowed domains, refusals are counted and logged once without an address, and what the pod wrote
 * reaches the mail only as capped, quoted data. Through the real SMTP server.
 */
@QuarkusTest
@MockCluster
@TestProfile(MailRelayTest.Limits.class)
class MailRelayTest {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "stagewatch.notify.max-annotation-recipients",
                    "3",
                    "stagewatch.notify.annotation-namespaces",
                    "ci,deploy",
                    "stagewatch.notify.allowed-domains",
                    "example.org,ops.example.com",
                    "stagewatch.ui.base-url",
                    "https://stagewatch.example.org/");
        }
    }

    @RegisterExtension
    static final MailSink SMTP = MailSink.on(MailSink.TEST_PORT);

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Logger READER_LOG = Logger.getLogger("io.stagewatch.pipeline.PodReader");

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            warnings.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureWarnings() {
        READER_LOG.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        READER_LOG.removeHandler(capture);
    }

    @Test
    void aMebibyteOfAddressesMailsTheFirstThreeAllowedOnesAndCountsTheRestOncePerPod() {
        String first = Pods.name("a") + "@example.org";
        String second = Pods.name("b") + "@OPS.example.com";
        String third = Pods.name("c") + "@example.org";
        String padding = "x".repeat(50);
        String flood = IntStream.range(0, 15_000)
                .mapToObj(i -> "flood-" + i + "-" + padding + "@example.org")
                .collect(Collectors.joining(","));
        String annotation =
                first + ", victim@elsewhere.test, not an address, " + second + "," + first + "," + third + "," + flood;
        assertTrue(annotation.length() > 1024 * 1024, "a mebibyte: " + annotation.length());
        double domain = refused("domain");
        double tooMany = refused("too-many");
        double invalid = invalid();

        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(Pods.workflow("ci", Pods.name("build"), "ci")
                .running()
                .notify(annotation)
                .build());
        cluster.update(pod, p -> p.failed(1));
        String uid = pod.getMetadata().getUid();
        List<String> allowed = List.of(first, second.toLowerCase(), third);
        await().atMost(WAIT)
                .until(() -> allowed.stream().allMatch(to -> SMTP.subjects(to).size() == 2));
        for (int i = 0; i < 3; i++) {
            cluster.update(pod, p -> p.label("resync", "again")); // read again: counted and logged once all the same
        }
        await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);

        given().get("/api/runs/{uid}/notifications", uid)
                .then()
                .statusCode(200)
                .body("", hasSize(6))
                .body(
                        "recipient.unique().sort()",
                        equalTo(allowed.stream().sorted().toList()));
        String name = pod.getMetadata().getName();
        assertEquals(
                6,
                SMTP.all().stream()
                        .filter(mail -> MailSink.subject(mail).contains(name))
                        .count(),
                "two events for each of three recipients, nothing else");
        assertEquals(1, refused("domain") - domain);
        // the annotation is cut to 1,000 characters where it enters (run/ClusterText): the whole addresses in them are
        // refused as too many, the one cut short (its last character an ellipsis) is invalid
        long kept = Arrays.stream(ClusterText.message(annotation).split(","))
                .filter(address -> address.startsWith("flood-") && !address.endsWith("\u2026"))
                .count();
        assertEquals(kept, refused("too-many") - tooMany);
        assertEquals(2, invalid() - invalid);
        List<String> lines =
                warnings.stream().filter(line -> line.contains(name)).toList();
        assertEquals(1, lines.size(), "one line per pod: " + lines);
        assertTrue(
                lines.get(0)
                        .contains("2 invalid addresses skipped, recipients refused: 1 domain, " + kept + " too-many"),
                lines.get(0));
        assertFalse(lines.get(0).contains("@"), "no address in the log: " + lines.get(0));
    }

    @Test
    void aPodOfANamespaceThatMayNotNameRecipientsGetsNone() {
        double namespace = refused("namespace");
        String to = Pods.name("dev") + "@example.org";
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(Pods.workflow("sandbox", Pods.name("build"), "ci")
                .running()
                .notify(to)
                .build());
        cluster.update(pod, p -> p.failed(1));
        String uid = pod.getMetadata().getUid();

        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}", uid)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("FAILED")));
        await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).until(() -> true);
        given().get("/api/runs/{uid}/notifications", uid).then().statusCode(200).body("", empty());
        assertEquals(List.of(), SMTP.to(to));
        assertEquals(1, refused("namespace") - namespace);
    }

    @Test
    void aRuleNamingAnotherDomainIsRefusedAndNotStored() {
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "relay",
                        "pipeline",
                        "*",
                        "stages",
                        List.of("CI"),
                        "events",
                        List.of("FAILED"),
                        "recipients",
                        List.of("ops@example.org", "someone@elsewhere.test")))
                .post("/api/notification-rules")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("'someone@elsewhere.test'"))
                .body("detail", containsString("stagewatch.notify.allowed-domains: example.org, ops.example.com"));
        given().get("/api/notification-rules")
                .then()
                .statusCode(200)
                .body("name", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("relay")));
    }

    @Test
    void whatThePodWroteIsCappedQuotedAndNeverALink() {
        String to = Pods.name("ops") + "@example.org";
        String lure = "Your build needs you: log in at https://evil.test/login or www.evil.test now. ";
        String message = lure + "y".repeat(100_000);
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(Pods.workflow("deploy", Pods.name("release"), "ci")
                .running()
                .notify(to)
                .build());
        cluster.update(pod, p -> p.failed(1).reason("Evicted", message));
        await().atMost(WAIT).until(() -> SMTP.subjects(to).stream().anyMatch(s -> s.contains("FAILED")));

        var mail = SMTP.to(to).stream()
                .filter(m -> MailSink.subject(m).contains("FAILED"))
                .findFirst()
                .orElseThrow();
        String text = MailSink.part(mail, "text/plain");
        String html = MailSink.part(mail, "text/html");
        String shown = "\"Your build needs you: log in at https[://]evil.test/login or www[.]evil.test now. y";
        assertTrue(text.contains("Message:   " + shown), text);
        assertTrue(text.contains("y…\""), "capped: " + text.length());
        assertTrue(text.length() < 2_000, "capped: " + text.length());
        assertFalse(text.contains("https://evil.test") || html.contains("https://evil.test"), "no working link");
        assertFalse(html.contains("www.evil.test"), "no bare address either");
        assertEquals(1, html.split("href=", -1).length - 1, "one link: " + html);
        assertTrue(
                html.contains("href=\"https://stagewatch.example.org/runs/"
                        + pod.getMetadata().getUid() + "\""),
                html);
        assertTrue(text.contains("Pod:       \"deploy/" + pod.getMetadata().getName() + "\""), text);
        assertTrue(text.contains("Cluster:   \"east\""), text);
    }

    private double refused(String why) {
        var counter = registry.find("stagewatch.notify.recipients.refused")
                .tag("why", why)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private double invalid() {
        return registry.get("stagewatch.notify.recipients.invalid").counter().count();
    }
}
