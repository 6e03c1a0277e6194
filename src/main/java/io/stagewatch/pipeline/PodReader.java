package io.stagewatch.pipeline;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.notification.EmailAddress;
import io.stagewatch.platform.Profile;
import io.stagewatch.platform.Profiles;
import io.stagewatch.platform.RunMapping;
import io.stagewatch.run.ContainerRules;
import io.stagewatch.run.MalformedPodException;
import io.stagewatch.run.Rfc3339;
import io.stagewatch.run.RunAttributes;
import io.stagewatch.run.Text;

/** Reads the run a pod carries from its metadata, through the profile that claims it. */
@ApplicationScoped
public class PodReader {

    private static final Logger LOG = Logger.getLogger(PodReader.class);

    private final Profiles profiles;
    private final String notifyAnnotation;
    private final Counter invalidRecipients;
    private final OncePerKey warned = new OncePerKey();

    /** A pod's run, and the rules its containers are judged by. */
    public record Reading(RunAttributes attributes, ContainerRules rules) {
    }

    public PodReader(StagewatchConfig config, Profiles profiles, MeterRegistry registry) {
        this.profiles = profiles;
        this.notifyAnnotation = config.annotations().notifyRecipients();
        this.invalidRecipients = Counter.builder("stagewatch.notify.recipients.invalid")
                .description("Addresses in a pod's notify annotation that are not valid, skipped")
                .register(registry);
    }

    /**
     * @throws MalformedPodException when the pod lacks its identity, no enabled profile claims it, or its profile
     *                               cannot tell its stage
     */
    public Reading read(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        if (meta == null || Text.isBlank(meta.getUid()) || Text.isBlank(meta.getName())
                || Text.isBlank(meta.getNamespace())) {
            throw new MalformedPodException("missing-identity", "the pod has no uid, name or namespace");
        }
        Profile profile = profiles.claimant(meta);
        if (profile == null) {
            throw new MalformedPodException("unclaimed", "no enabled profile claims the pod");
        }
        RunMapping run = profile.map(pod);
        return new Reading(new RunAttributes(
                meta.getUid(),
                meta.getNamespace(),
                meta.getName(),
                run.workflow(),
                run.pipeline(),
                run.app(),
                run.environment(),
                run.stage(),
                run.platform(),
                Rfc3339.parse(meta.getCreationTimestamp(), "metadata.creationTimestamp"),
                meta.getResourceVersion(),
                recipients(meta)), run.rules());
    }

    /** The valid addresses of the notify annotation; invalid ones are counted and skipped, with one warning per pod. */
    private List<String> recipients(ObjectMeta meta) {
        String value = meta.getAnnotations() == null ? null : meta.getAnnotations().get(notifyAnnotation);
        if (Text.isBlank(value)) {
            return List.of();
        }
        List<String> valid = new ArrayList<>();
        for (String address : value.split(",")) {
            if (address.isBlank()) {
                continue;
            }
            if (EmailAddress.isValid(address.trim())) {
                String normalized = EmailAddress.normalize(address);
                if (!valid.contains(normalized)) {
                    valid.add(normalized);
                }
            } else {
                invalidRecipients.increment();
                if (warned.first(meta.getUid())) {
                    LOG.warnf("Pod %s/%s: skipping invalid addresses in annotation %s", meta.getNamespace(),
                            meta.getName(), notifyAnnotation);
                }
            }
        }
        return List.copyOf(valid);
    }
}
