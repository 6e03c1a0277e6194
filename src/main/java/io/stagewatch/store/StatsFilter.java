package io.stagewatch.store;

import io.stagewatch.run.Stage;

/** Which finished runs failure statistics count; null means "any". */
public record StatsFilter(Stage stage, String pipeline) {

    public static final StatsFilter ALL = new StatsFilter(null, null);
}
