package io.stagewatch.delivery;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.stagewatch.StagewatchConfig;
import io.stagewatch.notification.RecipientPolicy;

/** The recipient policy of {@code stagewatch.notify.*}, for the pod reader and the rules API alike. */
public class RecipientPolicies {

    @Produces
    @Singleton
    RecipientPolicy policy(StagewatchConfig config) {
        StagewatchConfig.Notify notify = config.notifications();
        return new RecipientPolicy(notify.maxAnnotationRecipients(), notify.annotationNamespaces().map(Set::copyOf),
                Set.copyOf(notify.allowedDomains().orElse(List.of())));
    }
}
