package io.stagewatch.api;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Down while the rules file's content cannot be loaded, with the line and the reason. A wellness check
 * ({@code /q/health/well}), deliberately not a readiness one: the rules loaded before keep working, and one typo must
 * not take every replica out of service.
 */
@Wellness
@ApplicationScoped
public class RulesFileHealthCheck implements HealthCheck {

    private final RulesFileLoader loader;

    public RulesFileHealthCheck(RulesFileLoader loader) {
        this.loader = loader;
    }

    @Override
    public HealthCheckResponse call() {
        String problem = loader.problem();
        return HealthCheckResponse.named("rules-file")
                .status(problem == null)
                .withData("problem", problem == null ? "" : problem)
                .build();
    }
}
