package io.stagewatch.delivery;

import io.quarkus.mailer.Mail;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.notification.ClaimedNotification;
import io.stagewatch.run.Run;
import io.stagewatch.run.RunNames;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/** Renders the mail of an outbox row: subject, plain text and HTML, and its deterministic Message-ID. */
@ApplicationScoped
public class MailComposer {

    // compiled once: a mail shows a dozen values, each made harmless to show
    private static final Pattern CONTROLS = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]+");
    private static final Pattern WWW = Pattern.compile("(?i)\\bwww\\.");
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n]+");
    private static final Pattern TRAILING_SLASHES = Pattern.compile("/+$");

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance html(MailView view);

        static native TemplateInstance text(MailView view);
    }

    /**
     * What a mail says, in words a person understands. Every value comes from the run; the HTML template escapes it.
     * What the pod controls (the run's names, namespace, pod name, message) is data, not stagewatch's words: it is
     * one line, capped in length, in quotes, and its web addresses are defanged so that no mail client makes a link of
     * them. The only link is stagewatch's own.
     *
     * @param names the run's names, each quoted; the pipeline "(no pipeline)" when there is none, any other name
     *              null when the pod does not say it
     */
    public record MailView(
            String title,
            String stage,
            String platform,
            String event,
            RunNames names,
            String pod,
            String status,
            String cause,
            String reason,
            String message,
            String startedAt,
            String finishedAt,
            String duration,
            String link) {}

    private static final String NO_PIPELINE = "(no pipeline)";

    /** Longest pod-supplied name shown (Kubernetes names have up to 253 characters, label values 63). */
    static final int MAX_NAME = 100;
    /** Longest pod-supplied message shown. */
    static final int MAX_MESSAGE = 500;

    private final StagewatchConfig.Ui ui;

    public MailComposer(StagewatchConfig config) {
        this.ui = config.ui();
    }

    public Mail compose(ClaimedNotification claimed) {
        MailView view = view(claimed);
        return new Mail()
                .addTo(header(claimed.recipient()))
                .setSubject(header(view.title()))
                .setText(Templates.text(view).render())
                .setHtml(Templates.html(view).render())
                .addHeader("Message-ID", claimed.messageId());
    }

    MailView view(ClaimedNotification claimed) {
        Run run = claimed.run();
        RunNames names = run.names();
        RunNames shown = names.map(name -> quoted(name, MAX_NAME));
        String reasonWords = run.reason() == null ? null : run.reason().words();
        String title = "[stagewatch] " + run.stage() + " " + claimed.event() + " "
                + (names.pipeline() == null ? NO_PIPELINE : data(names.pipeline(), MAX_NAME)) + " "
                + data(names.workflow(), MAX_NAME) + (reasonWords == null ? "" : " (" + reasonWords + ")");
        return new MailView(
                title,
                run.stage().name(),
                run.platform(),
                claimed.event().name(),
                names.pipeline() == null ? shown.withPipeline(NO_PIPELINE) : shown,
                quoted(run.namespace() + "/" + run.pod(), 2 * MAX_NAME),
                run.status().name(),
                run.cause() == null
                        ? null
                        : switch (run.cause()) {
                            case WORKLOAD -> "the job itself failed";
                            case INFRASTRUCTURE ->
                                "the platform ended the job (abnormal termination, not the job's fault)";
                        },
                reasonWords == null ? null : reasonWords + " (" + run.reason() + ")",
                run.message() == null ? null : quoted(run.message(), MAX_MESSAGE),
                time(run.startedAt()),
                time(run.finishedAt()),
                duration(run.startedAt(), run.finishedAt()),
                ui.baseUrl()
                        .map(base -> TRAILING_SLASHES.matcher(base).replaceAll("") + "/runs/" + run.uid())
                        .orElse(null));
    }

    /** Pod-supplied text shown as quoted data. */
    static String quoted(String value, int max) {
        return "\"" + data(value, max) + "\"";
    }

    /**
     * Pod-supplied text made harmless to show: control characters and line breaks become spaces, at most {@code max}
     * characters are kept (then "…"), and web addresses are defanged ({@code https[://]}, {@code www[.]}).
     */
    static String data(String value, int max) {
        String line = CONTROLS.matcher(value).replaceAll(" ").strip();
        if (line.codePointCount(0, line.length()) > max) {
            line = line.substring(0, line.offsetByCodePoints(0, max)) + "…";
        }
        return WWW.matcher(line.replace("://", "[://]")).replaceAll("www[.]");
    }

    /** A value fit for a mail header: no CR or LF, whatever the pod said. */
    static String header(String value) {
        return LINE_BREAKS.matcher(value).replaceAll(" ").strip();
    }

    private static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }

    private static String duration(Instant start, Instant end) {
        if (start == null || end == null || end.isBefore(start)) {
            return null;
        }
        Duration d = Duration.between(start, end);
        return d.toHours() > 0
                ? String.format("%dh %02dm %02ds", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
                : String.format("%dm %02ds", d.toMinutesPart(), d.toSecondsPart());
    }
}
