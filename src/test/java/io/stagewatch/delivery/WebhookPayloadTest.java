package io.stagewatch.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The Slack payload (text and blocks from the stored body, the pod's words escaped, the same bytes every time) and the
 * signature of a webhook.
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
                            .put("reason", "NODE_SHUTDOWN")
                            .put("message", "<!channel> see <https://evil.example|here>"))
            .put("link", "https://stagewatch.example.org/runs/u-1")
            .encode();

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
    void textAndBlocksCarryStatusStagePipelineReasonAndLink() {
        JsonObject payload = new JsonObject(SlackMessage.of(BODY));
        assertEquals(
                "[stagewatch] CI FAILED: pay&lt;ments&gt; / build &amp; test (node shutdown)",
                payload.getString("text"));
        String blocks = payload.getJsonArray("blocks").encode();
        for (String expected : new String[] {
            "*Status*\\nFAILED",
            "*Stage*\\nCI",
            "*Pipeline*\\npay&lt;ments&gt;",
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
