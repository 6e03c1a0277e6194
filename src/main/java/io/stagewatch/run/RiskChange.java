package io.stagewatch.run;

/**
 * A run whose risk changed: at risk now ({@code atRisk}, see {@link NodeLoss}), or no longer (null). Not a transition:
 * the feed pushes it to open pages as it happens and never replays it.
 */
public record RiskChange(
        String uid, String namespace, String pipeline, Stage stage, RunStatus status, String node, String atRisk) {}
