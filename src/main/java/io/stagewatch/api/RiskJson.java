package io.stagewatch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stagewatch.run.RiskChange;

/** The feed's {@code risk} event: the run's node and why it is at risk now, or null when it no longer is. */
@RegisterForReflection
public record RiskJson(String uid, String node, String atRisk) {

    static RiskJson of(RiskChange change) {
        return new RiskJson(change.uid(), change.node(), change.atRisk());
    }
}
