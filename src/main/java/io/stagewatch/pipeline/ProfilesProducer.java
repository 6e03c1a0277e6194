package io.stagewatch.pipeline;

import io.stagewatch.StagewatchConfig;
import io.stagewatch.StagewatchConfig.ProfileSettings;
import io.stagewatch.platform.ArgoProfile;
import io.stagewatch.platform.DevtronProfile;
import io.stagewatch.platform.JobProfile;
import io.stagewatch.platform.LabelKeys;
import io.stagewatch.platform.LabelSelector;
import io.stagewatch.platform.Profile;
import io.stagewatch.platform.Profiles;
import io.stagewatch.platform.StagewatchProfile;
import io.stagewatch.platform.TektonProfile;
import io.stagewatch.run.Platform;
import io.stagewatch.run.Stage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The enabled profiles, built once from the configuration; a setting that cannot work (an unknown profile, a bad
 * selector or stage, the job profile without a selector, namespaces outside {@code stagewatch.namespaces}) stops the
 * start with a message that names the key.
 */
@ApplicationScoped
public class ProfilesProducer {

    @Produces
    @Singleton
    Profiles profiles(StagewatchConfig config) {
        return build(config);
    }

    /** The profiles the configuration enables; public for the tests, which build them without CDI. */
    public static Profiles build(StagewatchConfig config) {
        LabelKeys keys = labelKeys(config.labels());
        ProfileSettings settings = config.profileSettings();
        List<String> global = config.namespaces().orElse(List.of());
        List<Profile> enabled = new ArrayList<>();
        for (String name : new LinkedHashSet<>(config.profiles())) {
            Platform platform = Platform.fromId(name.trim())
                    .orElseThrow(() -> new IllegalStateException("stagewatch.profiles: '" + name
                            + "' is not one of devtron, tekton, argo, job, stagewatch"));
            enabled.add(
                    switch (platform) {
                        case STAGEWATCH ->
                            new StagewatchProfile(
                                    keys,
                                    namespaces(
                                            "stagewatch",
                                            global,
                                            settings.stagewatch().namespaces()),
                                    selector("stagewatch", settings.stagewatch().selector()));
                        case DEVTRON ->
                            new DevtronProfile(
                                    namespaces(
                                            "devtron",
                                            global,
                                            Optional.of(settings.devtron().namespaces())),
                                    settings.devtron().ownerInstance().orElse(null));
                        case ARGO ->
                            new ArgoProfile(
                                    keys,
                                    namespaces("argo", global, settings.argo().namespaces()),
                                    stage("argo", settings.argo().stage()),
                                    selector("argo", settings.argo().selector()));
                        case TEKTON ->
                            new TektonProfile(
                                    keys,
                                    namespaces(
                                            "tekton", global, settings.tekton().namespaces()),
                                    stage("tekton", settings.tekton().stage()),
                                    selector("tekton", settings.tekton().selector()));
                        case JOB ->
                            new JobProfile(
                                    keys,
                                    namespaces("job", global, settings.job().namespaces()),
                                    stage("job", settings.job().stage()),
                                    Optional.ofNullable(selector(
                                                    "job", settings.job().selector()))
                                            .orElseThrow(
                                                    () -> new IllegalStateException(
                                                            "stagewatch.profile.job.selector is required when the "
                                                                    + "job profile is enabled: without it every Job in the cluster would be watched")),
                                    settings.job().pipelineLabel().orElse(null));
                    });
        }
        if (enabled.isEmpty()) {
            throw new IllegalStateException("stagewatch.profiles enables no profile");
        }
        return new Profiles(enabled);
    }

    /** The configured keys of stagewatch's own labels ({@code stagewatch.labels.*}). */
    public static LabelKeys labelKeys(StagewatchConfig.Labels labels) {
        return new LabelKeys(labels.stage(), labels.workflow(), labels.pipeline(), labels.app(), labels.environment());
    }

    /** The profile's namespaces within the global ones; empty for every namespace. */
    private static Set<String> namespaces(String profile, List<String> global, Optional<List<String>> own) {
        if (own.isEmpty() || own.get().isEmpty()) {
            return Set.copyOf(global);
        }
        if (global.isEmpty()) {
            return Set.copyOf(own.get());
        }
        Set<String> narrowed = new LinkedHashSet<>(own.get());
        narrowed.retainAll(global);
        if (narrowed.isEmpty()) {
            throw new IllegalStateException("stagewatch.profile." + profile + ".namespaces " + own.get()
                    + " names none of stagewatch.namespaces " + global + ": the profile would watch nothing");
        }
        return narrowed;
    }

    private static LabelSelector selector(String profile, Optional<String> value) {
        try {
            return value.filter(text -> !text.isBlank())
                    .map(LabelSelector::parse)
                    .orElse(null);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stagewatch.profile." + profile + ".selector: " + e.getMessage(), e);
        }
    }

    private static Stage stage(String profile, String value) {
        return Stage.fromLabel(value)
                .orElseThrow(() -> new IllegalStateException(
                        "stagewatch.profile." + profile + ".stage: '" + value + "' is not one of ci, pre-cd, post-cd"));
    }
}
