package io.stagewatch.testing;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.kube.SlimPods;
import io.stagewatch.pipeline.ProfilesProducer;
import io.stagewatch.platform.Profiles;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Every profile enabled, listed in an order that is not the order they are tried in, with the settings the platform
 * fixtures ({@link Fixtures#platforms()}) are written for: a Quarkus test profile, and the same profiles built without
 * CDI for the pure tests.
 */
public class AllProfiles implements QuarkusTestProfile {

    public static final Map<String, String> CONFIG = Map.of(
            "stagewatch.profiles", "stagewatch,job,argo,tekton,devtron",
            "stagewatch.profile.job.selector", "ci.example.org/watch",
            "stagewatch.profile.job.pipeline-label", "ci.example.org/pipeline");

    /**
     * {@link #CONFIG}, and a reconcile pass every second (the scheduler ticks no faster): the fixture tests wait for two passes to show that a
     * skipped pod stays skipped.
     */
    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(CONFIG);
        overrides.put("stagewatch.reconcile.interval", "1s");
        return overrides;
    }

    /** stagewatch's configuration with {@link #CONFIG} and the given settings on top, every other key at its default
     * (durations read as Quarkus reads them). */
    public static StagewatchConfig config(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(CONFIG);
        values.putAll(overrides);
        return new SmallRyeConfigBuilder()
                .withMapping(StagewatchConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build()
                .getConfigMapping(StagewatchConfig.class);
    }

    /** The profiles of {@link #CONFIG}. */
    public static Profiles profiles() {
        return ProfilesProducer.build(config(Map.of()));
    }

    /** The slim copies the informers keep, with Devtron's event read. */
    public static SlimPods slimPods() {
        return new SlimPods(config(Map.of()), profiles());
    }
}
