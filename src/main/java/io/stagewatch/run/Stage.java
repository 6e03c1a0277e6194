package io.stagewatch.run;

import java.util.Optional;

/** The workflow stage a pod runs, named in the API as {@code CI}, {@code PRE_CD}, {@code POST_CD}. */
public enum Stage {
    CI("ci"),
    PRE_CD("pre-cd"),
    POST_CD("post-cd");

    private final String label;

    Stage(String label) {
        this.label = label;
    }

    public static Optional<Stage> fromLabel(String value) {
        for (Stage stage : values()) {
            if (stage.label.equals(value)) {
                return Optional.of(stage);
            }
        }
        return Optional.empty();
    }
}
