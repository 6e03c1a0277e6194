package io.stagewatch.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.stagewatch.pipeline.Observation;
import io.stagewatch.pipeline.ObservationBus;
import io.stagewatch.platform.Profile;
import io.stagewatch.platform.Profiles;
import io.stagewatch.run.Source;
import java.util.Objects;

/**
 * Turns informer callbacks into observations of slim pods at once; never blocks, never touches the database. The
 * previous pod of an update comes from the informer's cache, which holds slim pods too. With several profiles, a pod
 * may be seen by several informers: only the informer of the profile that claims it publishes it.
 */
final class PodEventHandler implements ResourceEventHandler<Pod> {

    private final ObservationBus bus;
    private final SlimPods slimPods;
    private final Profiles profiles;
    private final Profile profile;

    PodEventHandler(ObservationBus bus, SlimPods slimPods, Profiles profiles, Profile profile) {
        this.bus = bus;
        this.slimPods = slimPods;
        this.profiles = profiles;
        this.profile = profile;
    }

    @Override
    public void onAdd(Pod pod) {
        publish(slimPods.slim(pod), false);
    }

    @Override
    public void onUpdate(Pod previous, Pod pod) {
        Pod slim = slimPods.slim(pod);
        if (previous != null
                && previous.getMetadata() != null
                && slim.getMetadata() != null
                && Objects.equals(
                        previous.getMetadata().getResourceVersion(),
                        slim.getMetadata().getResourceVersion())
                && Objects.equals(previous.getStatus(), slim.getStatus())) {
            return;
        }
        publish(slim, false);
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
        publish(slimPods.slim(pod), true);
    }

    private void publish(Pod slim, boolean deleted) {
        if (profiles.claimant(slim.getMetadata()) == profile) {
            bus.publish(new Observation.PodSeen(Source.WATCH, slim, deleted));
        }
    }
}
