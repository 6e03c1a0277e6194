package io.stagewatch.delivery;

import io.stagewatch.notification.Webhook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The sender of every channel this release knows, by the channel's key. */
@ApplicationScoped
public class ChannelSenders {

    private final Map<String, ChannelSender> byChannel = new TreeMap<>();

    @Inject
    public ChannelSenders(Instance<ChannelSender> senders) {
        this((Iterable<ChannelSender>) senders);
    }

    /**
     * The senders, by their keys.
     *
     * @throws IllegalStateException when two senders have the same key, or a webhook kind's channel has none (its rows
     *                               would be queued and never claimed)
     */
    public ChannelSenders(Iterable<ChannelSender> senders) {
        for (ChannelSender sender : senders) {
            ChannelSender other = byChannel.putIfAbsent(sender.channel(), sender);
            if (other != null) {
                throw new IllegalStateException("Two senders of channel " + sender.channel() + ": "
                        + other.getClass().getName() + " and "
                        + sender.getClass().getName());
            }
        }
        Arrays.stream(Webhook.Kind.values())
                .filter(kind -> !byChannel.containsKey(kind.channel()))
                .findFirst()
                .ifPresent(kind -> {
                    throw new IllegalStateException("No sender of channel " + kind.channel() + ", which delivers "
                            + "webhooks of kind " + kind.id());
                });
    }

    /** The keys of the channels, in order. */
    public Set<String> channels() {
        return Collections.unmodifiableSet(byChannel.keySet());
    }

    /** The sender of a channel of {@link #channels()}. */
    public ChannelSender of(String channel) {
        ChannelSender sender = byChannel.get(channel);
        if (sender == null) {
            throw new IllegalArgumentException("No sender of channel " + channel);
        }
        return sender;
    }
}
