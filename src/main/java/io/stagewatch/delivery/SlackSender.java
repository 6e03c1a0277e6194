package io.stagewatch.delivery;

import io.smallrye.mutiny.Uni;
import io.stagewatch.notification.ClaimedNotification;
import io.stagewatch.notification.Webhook;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code slack} channel: posts the {@link SlackMessage} made from the notification's {@link WebhookBody}. */
@ApplicationScoped
public class SlackSender implements ChannelSender {

    private final WebhookBody body;
    private final WebhookClient client;

    public SlackSender(WebhookBody body, WebhookClient client) {
        this.body = body;
        this.client = client;
    }

    @Override
    public String channel() {
        return Webhook.Kind.SLACK.channel();
    }

    @Override
    public Uni<Void> send(ClaimedNotification notification) {
        return client.post(notification, SlackMessage.of(body.of(notification)));
    }
}
