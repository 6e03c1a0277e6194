package io.stagewatch.kube;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the pod informer holds an open watch: without it, changes wait for the next reconcile pass. */
@Readiness
@ApplicationScoped
public class InformerHealthCheck implements HealthCheck {

    private final PodWatch watch;

    public InformerHealthCheck(PodWatch watch) {
        this.watch = watch;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("pod-informer")
                .status(watch.isWatching())
                .build();
    }
}
