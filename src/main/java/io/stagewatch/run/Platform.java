package io.stagewatch.run;

import java.util.Locale;
import java.util.Optional;

/**
 * The CI/CD platform whose pod a run is, named by the profile that reads it. The constants are in the order the
 * profiles are tried, the most specific first: a Devtron pod under the Argo executor is an Argo pod too, and any
 * platform's pod may carry stagewatch's own labels.
 */
public enum Platform {
    DEVTRON,
    TEKTON,
    ARGO,
    JOB,
    STAGEWATCH;

    private final String id = name().toLowerCase(Locale.ROOT);

    /** The profile name, as configured, stored and shown: {@code devtron}, {@code argo}, ... */
    public String id() {
        return id;
    }

    public static Optional<Platform> fromId(String value) {
        for (Platform platform : values()) {
            if (platform.id.equals(value)) {
                return Optional.of(platform);
            }
        }
        return Optional.empty();
    }
}
