package io.stagewatch.kube;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;

/**
 * The JSON patches that hold and release a pod, built from the pod as it was observed. Each first tests the pod's UID,
 * so that a successor of the same name is never touched, and a release tests the finalizer at the index it was seen
 * at, so that it never removes another controller's finalizer that took its place.
 */
final class FinalizerPatches {

    private static final String UID = JsonPatch.path("metadata", "uid");
    private static final String FINALIZERS = JsonPatch.path("metadata", "finalizers");
    private static final String LABELS = JsonPatch.path("metadata", "labels");
    private static final String HELD_LABEL = JsonPatch.path("metadata", "labels", StatusCaptureFinalizer.HELD_LABEL);

    private FinalizerPatches() {}

    /** Adds the finalizer (unless the pod has it) and the held label. */
    static String hold(ObjectMeta meta) {
        JsonPatch patch = new JsonPatch().test(UID, meta.getUid());
        List<String> finalizers = finalizers(meta);
        if (!finalizers.contains(StatusCaptureFinalizer.NAME)) {
            // an absent array is created; an existing one is appended to
            if (finalizers.isEmpty()) {
                patch.add(FINALIZERS, List.of(StatusCaptureFinalizer.NAME));
            } else {
                patch.add(JsonPatch.path("metadata", "finalizers", "-"), StatusCaptureFinalizer.NAME);
            }
        }
        if (meta.getLabels() == null) {
            patch.add(LABELS, Map.of(StatusCaptureFinalizer.HELD_LABEL, "true"));
        } else {
            patch.add(HELD_LABEL, "true");
        }
        return patch.toJson();
    }

    /**
     * Removes the finalizer, at the index it was seen at, if the pod has it, and the held label if the pod has it (a pod
     * can carry the label alone: another writer removed the finalizer).
     */
    static String release(ObjectMeta meta) {
        JsonPatch patch = new JsonPatch().test(UID, meta.getUid());
        int index = finalizers(meta).indexOf(StatusCaptureFinalizer.NAME);
        if (index >= 0) {
            String finalizer = JsonPatch.path("metadata", "finalizers", index);
            patch.test(finalizer, StatusCaptureFinalizer.NAME).remove(finalizer);
        }
        if (labelled(meta)) {
            patch.remove(HELD_LABEL);
        }
        return patch.toJson();
    }

    static boolean holds(ObjectMeta meta) {
        return finalizers(meta).contains(StatusCaptureFinalizer.NAME);
    }

    static boolean labelled(ObjectMeta meta) {
        return meta.getLabels() != null && meta.getLabels().containsKey(StatusCaptureFinalizer.HELD_LABEL);
    }

    private static List<String> finalizers(ObjectMeta meta) {
        return meta.getFinalizers() == null ? List.of() : meta.getFinalizers();
    }
}
