package io.stagewatch.delivery;

import io.stagewatch.StagewatchConfig;
import io.stagewatch.notification.RecipientPolicy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;

/** The recipient policy of {@code stagewatch.notify.*}, for the pod reader and the rules API alike. */
public class RecipientPolicies {

    @Produces
    @Singleton
    RecipientPolicy policy(StagewatchConfig config) {
        StagewatchConfig.Notify notify = config.notifications();
        return new RecipientPolicy(
                notify.maxAnnotationRecipients(),
                notify.annotationNamespaces().map(Set::copyOf),
                Set.copyOf(notify.allowedDomains().orElse(List.of())));
    }
}
