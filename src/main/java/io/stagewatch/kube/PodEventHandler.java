package io.stagewatch.kube;

import java.util.Objects;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.stagewatch.pipeline.Observation;
import io.stagewatch.pipeline.ObservationBus;
import io.stagewatch.run.Source;

/** Turns informer callbacks into observations at once; never blocks, never touches the database. */
final class PodEventHandler implements ResourceEventHandler<Pod> {

    private final ObservationBus bus;

    PodEventHandler(ObservationBus bus) {
        this.bus = bus;
    }

    @Override
    public void onAdd(Pod pod) {
        bus.publish(new Observation.PodSeen(Source.WATCH, pod, false));
    }

    @Override
    public void onUpdate(Pod previous, Pod pod) {
        if (previous != null && previous.getMetadata() != null && pod.getMetadata() != null
                && Objects.equals(previous.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())
                && Objects.equals(previous.getStatus(), pod.getStatus())) {
            return;
        }
        bus.publish(new Observation.PodSeen(Source.WATCH, pod, false));
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
        bus.publish(new Observation.PodSeen(Source.WATCH, pod, true));
    }
}
