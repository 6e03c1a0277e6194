package io.stagewatch.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.mailer.Mail;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.notification.ClaimedMail;
import io.stagewatch.run.Run;

/** Renders the mail of an outbox row: subject, plain text and HTML, and its deterministic Message-ID. */
@ApplicationScoped
public class MailComposer {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance html(MailView view);

        static native TemplateInstance text(MailView view);
    }

    /**
     * What a mail says, in words a person understands. Every value comes from the run; the HTML template escapes it.
     */
    public record MailView(String title, String stage, String platform, String event, String pipeline, String workflow, String namespace,
            String pod, String status, String cause, String reason, String message, String startedAt,
            String finishedAt, String duration, String link) {
    }

    private final StagewatchConfig.Ui ui;

    public MailComposer(StagewatchConfig config) {
        this.ui = config.ui();
    }

    public Mail compose(ClaimedMail claimed) {
        MailView view = view(claimed);
        return new Mail()
                .addTo(header(claimed.recipient()))
                .setSubject(header(view.title()))
                .setText(Templates.text(view).render())
                .setHtml(Templates.html(view).render())
                .addHeader("Message-ID", claimed.messageId());
    }

    MailView view(ClaimedMail claimed) {
        Run run = claimed.run();
        String pipeline = run.pipeline() == null ? "(no pipeline)" : run.pipeline();
        String reasonWords = run.reason() == null ? null : run.reason().words();
        String title = "[stagewatch] " + run.stage() + " " + claimed.event() + " " + pipeline + " " + run.workflow()
                + (reasonWords == null ? "" : " (" + reasonWords + ")");
        return new MailView(
                title,
                run.stage().name(),
                run.platform(),
                claimed.event().name(),
                pipeline,
                run.workflow(),
                run.namespace(),
                run.pod(),
                run.status().name(),
                run.cause() == null ? null : switch (run.cause()) {
                    case WORKLOAD -> "the job itself failed";
                    case INFRASTRUCTURE -> "the platform ended the job (abnormal termination, not the job's fault)";
                },
                reasonWords == null ? null : reasonWords + " (" + run.reason() + ")",
                run.message(),
                time(run.startedAt()),
                time(run.finishedAt()),
                duration(run.startedAt(), run.finishedAt()),
                ui.baseUrl().map(base -> base.replaceAll("/+$", "") + "/runs/" + run.uid()).orElse(null));
    }

    /** A value fit for a mail header: no CR or LF, whatever the pod said. */
    static String header(String value) {
        return value.replaceAll("[\\r\\n]+", " ").strip();
    }

    private static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }

    private static String duration(Instant start, Instant end) {
        if (start == null || end == null || end.isBefore(start)) {
            return null;
        }
        Duration d = Duration.between(start, end);
        return d.toHours() > 0 ? String.format("%dh %02dm %02ds", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
                : String.format("%dm %02ds", d.toMinutesPart(), d.toSecondsPart());
    }
}
