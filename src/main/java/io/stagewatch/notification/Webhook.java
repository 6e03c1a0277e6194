package io.stagewatch.notification;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A webhook of a notification rule.
 *
 * @param secret the key of the signature, or null for unsigned deliveries; never shown
 */
public record Webhook(String url, Kind kind, String secret) {

    /** What a read shows in place of a secret, and what a replacement sends back to keep the stored one. */
    public static final String HIDDEN_SECRET = "***";

    /**
     * The payload posted, each through a channel of its own (the outbox row's {@code channel}, the key of its sender):
     * {@code json} (stagewatch's documented body, channel {@code webhook}) or {@code slack} (an incoming-webhook
     * message, channel {@code slack}, whose URL's path is its credential).
     */
    public enum Kind {
        JSON("webhook", false),
        SLACK("slack", true);

        private final String channel;
        private final boolean pathIsCredential;

        Kind(String channel, boolean pathIsCredential) {
            this.channel = channel;
            this.pathIsCredential = pathIsCredential;
        }

        /** The key of the channel that delivers this kind. */
        public String channel() {
            return channel;
        }

        /** {@code json} or {@code slack}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind ofId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }

        /** The kind delivered through this channel, if the channel delivers webhooks of rules. */
        public static Optional<Kind> ofChannel(String channel) {
            return Arrays.stream(values())
                    .filter(kind -> kind.channel.equals(channel))
                    .findFirst();
        }

        /** A URL of this kind as it may be shown: as it is, or as its scheme and host when its path is a credential. */
        public String display(String url) {
            return pathIsCredential ? WebhookUrl.schemeAndHost(url) : url;
        }
    }

    /** The URL as it may be shown. */
    public String displayUrl() {
        return kind.display(url);
    }

    @Override
    public String toString() {
        return "Webhook[" + kind.id() + " " + displayUrl() + (secret == null ? "" : ", signed") + "]";
    }
}
