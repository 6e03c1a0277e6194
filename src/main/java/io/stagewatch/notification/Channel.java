package io.stagewatch.notification;

import java.util.Locale;

/** How a notification is delivered; the API, the database and the metrics spell it {@link #id()}. */
public enum Channel {
    /** A mail to one address. */
    EMAIL,
    /** A JSON POST to a URL, signed when the webhook has a secret. */
    WEBHOOK,
    /** A Slack incoming webhook. */
    SLACK;

    /** {@code email}, {@code webhook} or {@code slack}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Channel ofId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /**
     * The destination as it may be shown (API, logs, errors): an address or a URL as it is, a Slack URL as its scheme
     * and host only, since its path is its credential.
     */
    public String display(String destination) {
        return this == SLACK ? WebhookUrl.schemeAndHost(destination) : destination;
    }
}
