package io.stagewatch.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stagewatch.notification.DeliveryCounts;
import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.Run;
import io.stagewatch.run.RunNames;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Stage;
import java.time.Instant;

/**
 * A run as the API shows it: its names ({@link RunNames}) as fields of their own, between {@code pod} and
 * {@code stage}; {@code reasonText} is the reason in the words the mails use, so that clients show the server's words
 * instead of their own; {@code platform} is the profile that read the pod ({@code argo}, {@code devtron}, ...);
 * {@code notifications} counts its outbox rows by delivery status; {@code node} is its pod's node, {@code atRisk} why
 * the unfinished run is at risk (its node fails), else null; {@code workflowUid} the workflow it is a step of, else null.
 */
// the names are serialized by reflection too, and the domain record cannot carry Quarkus' annotation
@RegisterForReflection(targets = {RunJson.class, RunNames.class})
public record RunJson(
        String uid,
        String namespace,
        String pod,
        @JsonUnwrapped RunNames names,
        Stage stage,
        String platform,
        RunStatus status,
        FailureCause cause,
        FailureReason reason,
        String reasonText,
        String message,
        String node,
        String atRisk,
        String workflowUid,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        NotificationCountsJson notifications) {

    static RunJson of(Run run, DeliveryCounts notifications) {
        return new RunJson(
                run.uid(),
                run.namespace(),
                run.pod(),
                run.names(),
                run.stage(),
                run.platform(),
                run.status(),
                run.cause(),
                run.reason(),
                words(run.reason()),
                run.message(),
                run.node(),
                run.atRisk(),
                run.workflowUid(),
                run.createdAt(),
                run.startedAt(),
                run.finishedAt(),
                run.updatedAt(),
                NotificationCountsJson.of(notifications));
    }

    /** The reason's human text, null without a reason; the one place the API turns a reason into words. */
    static String words(FailureReason reason) {
        return reason == null ? null : reason.words();
    }
}
