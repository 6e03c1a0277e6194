package io.stagewatch.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The patches that hold and release a pod touch that very pod, and only stagewatch's finalizer and label. */
class FinalizerPatchesTest {

    private static final String UID_TEST = "{\"op\":\"test\",\"path\":\"/metadata/uid\",\"value\":\"u-1\"}";

    @Test
    void holdingAPodWithoutFinalizersOrLabelsCreatesBoth() {
        assertEquals(
                "[" + UID_TEST
                        + ",{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\"stagewatch.io/status-capture\"]}"
                        + ",{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"stagewatch.io/held\":\"true\"}}]",
                FinalizerPatches.hold(meta(null, null)));
    }

    @Test
    void holdingAPodWithOtherFinalizersAndLabelsAppendsToThem() {
        assertEquals(
                "[" + UID_TEST
                        + ",{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\"stagewatch.io/status-capture\"}"
                        + ",{\"op\":\"add\",\"path\":\"/metadata/labels/stagewatch.io~1held\",\"value\":\"true\"}]",
                FinalizerPatches.hold(meta(List.of("example.org/other"), Map.of("app", "shop"))));
    }

    @Test
    void holdingAPodThatHasTheFinalizerOnlyLabelsIt() {
        assertEquals(
                "[" + UID_TEST
                        + ",{\"op\":\"add\",\"path\":\"/metadata/labels/stagewatch.io~1held\",\"value\":\"true\"}]",
                FinalizerPatches.hold(meta(List.of(StatusCaptureFinalizer.NAME), Map.of())));
    }

    @Test
    void aReleaseRemovesTheFinalizerAtTheIndexItWasSeenAtAfterTestingItIsStillThere() {
        assertEquals(
                "[" + UID_TEST
                        + ",{\"op\":\"test\",\"path\":\"/metadata/finalizers/1\",\"value\":\"stagewatch.io/status-capture\"}"
                        + ",{\"op\":\"remove\",\"path\":\"/metadata/finalizers/1\"}"
                        + ",{\"op\":\"remove\",\"path\":\"/metadata/labels/stagewatch.io~1held\"}]",
                FinalizerPatches.release(meta(
                        List.of("example.org/other", StatusCaptureFinalizer.NAME),
                        Map.of(StatusCaptureFinalizer.HELD_LABEL, "true"))));
    }

    @Test
    void aReleaseOfAPodHeldWithoutTheLabelLeavesTheLabelsAlone() {
        assertEquals(
                "[" + UID_TEST
                        + ",{\"op\":\"test\",\"path\":\"/metadata/finalizers/0\",\"value\":\"stagewatch.io/status-capture\"}"
                        + ",{\"op\":\"remove\",\"path\":\"/metadata/finalizers/0\"}]",
                FinalizerPatches.release(meta(List.of(StatusCaptureFinalizer.NAME), null)));
    }

    private static ObjectMeta meta(List<String> finalizers, Map<String, String> labels) {
        ObjectMeta meta = new ObjectMetaBuilder().withUid("u-1").build();
        meta.setFinalizers(finalizers);
        meta.setLabels(labels);
        return meta;
    }
}
