package io.stagewatch.notification;

import java.util.Locale;

/**
 * A webhook of a notification rule.
 *
 * @param secret the key of the signature, or null for unsigned deliveries; never shown
 */
public record Webhook(String url, Kind kind, String secret) {

    /** What a read shows in place of a secret, and what a replacement sends back to keep the stored one. */
    public static final String HIDDEN_SECRET = "***";

    /** The payload posted: {@code json} (stagewatch's documented body) or {@code slack} (an incoming-webhook message). */
    public enum Kind {
        JSON(Channel.WEBHOOK),
        SLACK(Channel.SLACK);

        private final Channel channel;

        Kind(Channel channel) {
            this.channel = channel;
        }

        public Channel channel() {
            return channel;
        }

        /** {@code json} or {@code slack}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind ofId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    /** The URL as it may be shown. */
    public String displayUrl() {
        return kind.channel().display(url);
    }

    @Override
    public String toString() {
        return "Webhook[" + kind.id() + " " + displayUrl() + (secret == null ? "" : ", signed") + "]";
    }
}
