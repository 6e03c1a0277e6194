package io.stagewatch.kube;

import java.util.Objects;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.stagewatch.pipeline.Observation;
import io.stagewatch.pipeline.ObservationBus;
import io.stagewatch.run.Source;

/**
 * Turns informer callbacks into observations of slim pods at once; never blocks, never touches the database. The
 * previous pod of an update comes from the informer's cache, which holds slim pods too.
 */
final class PodEventHandler implements ResourceEventHandler<Pod> {

    private final ObservationBus bus;
    private final SlimPods slimPods;

    PodEventHandler(ObservationBus bus, SlimPods slimPods) {
        this.bus = bus;
        this.slimPods = slimPods;
    }

    @Override
    public void onAdd(Pod pod) {
        bus.publish(new Observation.PodSeen(Source.WATCH, slimPods.slim(pod), false));
    }

    @Override
    public void onUpdate(Pod previous, Pod pod) {
        Pod slim = slimPods.slim(pod);
        if (previous != null && previous.getMetadata() != null && slim.getMetadata() != null
                && Objects.equals(previous.getMetadata().getResourceVersion(), slim.getMetadata().getResourceVersion())
                && Objects.equals(previous.getStatus(), slim.getStatus())) {
            return;
        }
        bus.publish(new Observation.PodSeen(Source.WATCH, slim, false));
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
        bus.publish(new Observation.PodSeen(Source.WATCH, slimPods.slim(pod), true));
    }
}
