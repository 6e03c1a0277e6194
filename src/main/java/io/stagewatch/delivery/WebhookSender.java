package io.stagewatch.delivery;

import io.smallrye.mutiny.Uni;
import io.stagewatch.notification.ClaimedNotification;
import io.stagewatch.notification.Webhook;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code webhook} channel: posts {@link WebhookBody}, the JSON body the README documents. */
@ApplicationScoped
public class WebhookSender implements ChannelSender {

    private final WebhookBody body;
    private final WebhookClient client;

    public WebhookSender(WebhookBody body, WebhookClient client) {
        this.body = body;
        this.client = client;
    }

    @Override
    public String channel() {
        return Webhook.Kind.JSON.channel();
    }

    @Override
    public Uni<Void> send(ClaimedNotification notification) {
        return client.post(notification, body.of(notification));
    }
}
