package io.stagewatch.store;

import io.stagewatch.run.Stage;

/** Which finished runs failure statistics count; null means "any". {@code platform} is a profile's id. */
public record StatsFilter(Stage stage, String pipeline, String platform, String cluster) {

    public static final StatsFilter ALL = new StatsFilter(null, null, null, null);
}
