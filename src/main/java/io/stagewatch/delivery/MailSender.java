package io.stagewatch.delivery;

import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.stagewatch.notification.ClaimedNotification;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@code email} channel: the mail {@link MailComposer} renders, through the reactive mailer, with the row's
 * Message-ID. Its key is the outbox's default channel, which the transition statement's mail rows take.
 */
@ApplicationScoped
public class MailSender implements ChannelSender {

    private final MailComposer composer;
    private final ReactiveMailer mailer;

    public MailSender(MailComposer composer, ReactiveMailer mailer) {
        this.composer = composer;
        this.mailer = mailer;
    }

    @Override
    public String channel() {
        return "email";
    }

    @Override
    public Uni<Void> send(ClaimedNotification notification) {
        return mailer.send(composer.compose(notification));
    }
}
