package io.stagewatch.delivery;

import io.stagewatch.run.FailureReason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The Slack incoming-webhook payload of a notification: {@code text} (the notification's fallback) and Block Kit
 * blocks with the status, stage, pipeline, reason, message and link. Made from the webhook's JSON body
 * ({@link WebhookBody}), so every attempt posts the same bytes. Text the pod controls is escaped for Slack's markup
 * ({@code &}, {@code <}, {@code >}), so that it can neither mention {@code <!channel>} nor hide a link.
 */
final class SlackMessage {

    /** Slack's limit of a section's text is 3000 characters. */
    private static final int MAX_MESSAGE = 2000;

    private SlackMessage() {}

    static String of(String body) {
        JsonObject notification = new JsonObject(body);
        JsonObject run = notification.getJsonObject("run");
        String pipeline = run.getString("pipeline") == null ? "(no pipeline)" : run.getString("pipeline");
        String reason = reason(run.getString("reason"));
        String title = run.getString("stage") + " " + notification.getString("event") + ": " + pipeline + " / "
                + run.getString("workflow") + (reason == null ? "" : " (" + reason + ")");

        List<Object> fields = new ArrayList<>();
        fields.add(field("Status", run.getString("status")));
        fields.add(field("Stage", run.getString("stage")));
        fields.add(field("Pipeline", pipeline));
        if (run.getString("cluster") != null) { // the body of a release before issue 23 has none
            fields.add(field("Cluster", run.getString("cluster")));
        }
        if (reason != null) {
            fields.add(field("Reason", reason + " (" + run.getString("reason") + ")"));
        }
        JsonArray blocks = new JsonArray()
                .add(section("*" + escape(title) + "*"))
                .add(new JsonObject().put("type", "section").put("fields", new JsonArray(fields)));
        String message = run.getString("message");
        if (message != null && !message.isBlank()) {
            blocks.add(section(
                    escape(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message)));
        }
        String link = notification.getString("link");
        if (link != null) {
            blocks.add(section("<" + escape(link) + "|Open the run in stagewatch>"));
        }
        return new JsonObject()
                .put("text", escape("[stagewatch] " + title))
                .put("blocks", blocks)
                .encode();
    }

    /** Slack's markup escaping: only these three characters have a meaning of their own in message text. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String reason(String code) {
        if (code == null) {
            return null;
        }
        try {
            return FailureReason.valueOf(code).words();
        } catch (IllegalArgumentException e) {
            return code; // a reason of a newer release
        }
    }

    private static JsonObject section(String mrkdwn) {
        return new JsonObject().put("type", "section").put("text", mrkdwn(mrkdwn));
    }

    private static JsonObject field(String name, String value) {
        return mrkdwn("*" + name + "*\n" + escape(value));
    }

    private static JsonObject mrkdwn(String text) {
        return new JsonObject().put("type", "mrkdwn").put("text", text);
    }
}
