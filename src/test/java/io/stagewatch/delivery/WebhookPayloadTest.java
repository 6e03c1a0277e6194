package io.stagewatch.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stagewatch.notification.ClaimedNotification;
import io.stagewatch.notification.NotificationEvent;
import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.Run;
import io.stagewatch.run.RunNames;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Stage;
import io.stagewatch.run.Transition;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The JSON body of a webhook (the run as the transition that queued it left it, whatever the run became since), the
 * Slack payload (text and blocks from that body, the pod's words escaped, the same bytes every time) and the signature
 * of a webhook.
 */
class WebhookPayloadTest {

    private static final String BODY = new JsonObject()
            .put("event", "FAILED")
            .put(
                    "run",
                    new JsonObject()
                            .put("uid", "u-1")
                            .put("stage", "CI")
                            .put("status", "FAILED")
                            .put("pipeline", "pay<ments>")
                            .put("workflow", "build & test")
                            .put("cluster", "east")
                            .put("reason", "NODE_SHUTDOWN")
                            .put("message", "<!channel> see <https://evil.example|here>"))
            .put("link", "https://stagewatch.example.org/runs/u-1")
            .encode();

    private static final Instant CREATED = Instant.parse("2026-11-30T16:58:40Z");
    private static final Instant STARTED = Instant.parse("2026-11-30T16:58:44.5Z");
    private static final Instant FAILED_AT = Instant.parse("2026-11-30T17:02:11.204518Z");
    /** The run as it is now: failed, its message changed since by a later write. */
    private static final Run RUN = new Run(
            "3f0c",
            "ci",
            "build-42",
            new RunNames("build-42", "payments-api", "payments", null, "east"),
            Stage.CI,
            "stagewatch",
            RunStatus.FAILED,
            FailureCause.INFRASTRUCTURE,
            FailureReason.NODE_SHUTDOWN,
            "a later message",
            CREATED,
            STARTED,
            Instant.parse("2026-11-30T17:02:10Z"),
            FAILED_AT,
            "ci-pool-3",
            null,
            null);

    @Test
    void theBodyIsTheRunAsTheTransitionThatQueuedItLeftIt() {
        Transition started = new Transition(
                7, "3f0c", RunStatus.PENDING, RunStatus.RUNNING, null, null, null, Source.WATCH, STARTED);
        assertEquals(
                "{\"event\":\"STARTED\",\"at\":\"2026-11-30T16:58:44.500000Z\",\"run\":{\"uid\":\"3f0c\","
                        + "\"namespace\":\"ci\",\"pod\":\"build-42\",\"workflow\":\"build-42\",\"pipeline\":"
                        + "\"payments-api\",\"app\":\"payments\",\"environment\":null,\"cluster\":\"east\",\"stage\":\"CI\",\"platform\":"
                        + "\"stagewatch\",\"status\":\"RUNNING\",\"cause\":null,\"reason\":null,\"message\":null,"
                        + "\"createdAt\":\"2026-11-30T16:58:40.000000Z\",\"startedAt\":\"2026-11-30T16:58:44.500000Z\","
                        + "\"finishedAt\":null},\"link\":\"https://stagewatch.example.org/runs/3f0c\"}",
                new WebhookBody("https://stagewatch.example.org//")
                        .of(claimed(NotificationEvent.STARTED, started, null)));
    }

    @Test
    void aTerminalTransitionShowsItsOwnFailureAndTheFinishTime() {
        Transition failed = new Transition(
                8,
                "3f0c",
                RunStatus.RUNNING,
                RunStatus.FAILED,
                FailureCause.INFRASTRUCTURE,
                FailureReason.NODE_SHUTDOWN,
                "Pod was terminated in response to imminent node shutdown.",
                Source.WATCH,
                FAILED_AT);
        JsonObject body =
                new JsonObject(new WebhookBody((String) null).of(claimed(NotificationEvent.FAILED, failed, null)));
        assertEquals("2026-11-30T17:02:11.204518Z", body.getString("at"));
        JsonObject run = body.getJsonObject("run");
        assertEquals("FAILED", run.getString("status"));
        assertEquals("INFRASTRUCTURE", run.getString("cause"));
        assertEquals("NODE_SHUTDOWN", run.getString("reason"));
        assertEquals("Pod was terminated in response to imminent node shutdown.", run.getString("message"));
        assertEquals("2026-11-30T17:02:10.000000Z", run.getString("finishedAt"));
        assertTrue(body.containsKey("link") && body.getValue("link") == null, "no base URL, no link: " + body);
    }

    @Test
    void aBodyAnEarlierReleaseStoredIsSentAsItIs() {
        Transition failed = new Transition(
                8, "3f0c", RunStatus.RUNNING, RunStatus.FAILED, null, null, null, Source.WATCH, FAILED_AT);
        assertEquals(
                BODY,
                new WebhookBody("https://stagewatch.example.org").of(claimed(NotificationEvent.FAILED, failed, BODY)));
    }

    private static ClaimedNotification claimed(NotificationEvent event, Transition transition, String body) {
        return new ClaimedNotification(
                1,
                UUID.randomUUID(),
                event,
                "webhook",
                null,
                "https://hooks.example.org/x",
                null,
                body,
                1,
                "<3f0c.x@stagewatch>",
                RUN,
                transition);
    }

    @Test
    void podTextCannotMentionOrLink() {
        String payload = SlackMessage.of(BODY);
        assertFalse(payload.contains("<!channel>"), payload);
        assertFalse(payload.contains("<https://evil.example"), payload);
        assertTrue(payload.contains("&lt;!channel&gt;"), payload);
        assertTrue(payload.contains("pay&lt;ments&gt;"), payload);
        assertTrue(payload.contains("build &amp; test"), payload);
    }

    @Test
    void textAndBlocksCarryStatusStagePipelineClusterReasonAndLink() {
        JsonObject payload = new JsonObject(SlackMessage.of(BODY));
        assertEquals(
                "[stagewatch] CI FAILED: pay&lt;ments&gt; / build &amp; test (node shutdown)",
                payload.getString("text"));
        String blocks = payload.getJsonArray("blocks").encode();
        for (String expected : new String[] {
            "*Status*\\nFAILED",
            "*Stage*\\nCI",
            "*Pipeline*\\npay&lt;ments&gt;",
            "*Cluster*\\neast",
            "*Reason*\\nnode shutdown (NODE_SHUTDOWN)",
            "<https://stagewatch.example.org/runs/u-1|Open the run"
        }) {
            assertTrue(blocks.contains(expected), expected + " in " + blocks);
        }
        assertEquals(SlackMessage.of(BODY), SlackMessage.of(BODY), "the same bytes on every attempt");
    }

    @Test
    void signatureIsTheHmacOfTimestampDotBody() {
        // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac key
        assertEquals(
                "sha256=a438e398bfafc57e4396bb7fc2304422f0f768e965d073ca313cb52e22e6ad03",
                WebhookSignature.sign("key", 1700000000L, "{\"a\":1}"));
    }
}
