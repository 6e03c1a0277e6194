package io.stagewatch.platform;

import io.stagewatch.workflow.Step;
import io.stagewatch.workflow.WorkflowKind;
import java.util.HashMap;
import java.util.Map;

/**
 * The workflow a run belongs to, and which step of it the run is, as its pod says.
 *
 * @param name the object's name, in the pod's namespace
 * @param uid  the object's UID when the pod names it (an owner reference or a label), else null: then the object is
 *             found by kind, namespace and name
 */
public record WorkflowLink(WorkflowKind kind, String namespace, String name, String uid, Step step) {

    /**
     * The annotations a slim pod carries the link in ({@link #carried()}): the labels, annotations and owner
     * references it is read from are not all kept, and a slim copy must link as its pod did.
     */
    public static final String PREFIX = "stagewatch.io/workflow-";

    private static final String KIND = PREFIX + "kind";
    private static final String NAME = PREFIX + "name";
    private static final String UID = PREFIX + "uid";
    private static final String STEP_KEY = PREFIX + "step-key";
    private static final String STEP_NAME = PREFIX + "step-name";
    private static final String STEP_ATTEMPT = PREFIX + "step-attempt";
    private static final String STEP_PLATFORM_KEY = PREFIX + "step-platform-key";

    /** The link as annotations, the absent values left out; {@link #carried(String, Map)} reads them back. */
    public Map<String, String> carried() {
        Map<String, String> annotations = new HashMap<>();
        annotations.put(KIND, kind.name());
        annotations.put(NAME, name);
        put(annotations, UID, uid);
        annotations.put(STEP_KEY, step.key());
        annotations.put(STEP_NAME, step.name());
        annotations.put(STEP_ATTEMPT, Integer.toString(step.attempt()));
        put(annotations, STEP_PLATFORM_KEY, step.platformKey());
        return annotations;
    }

    /** The link a slim pod carries in its annotations, or null when it carries none or one it cannot read. */
    public static WorkflowLink carried(String namespace, Map<String, String> annotations) {
        if (annotations == null || !annotations.containsKey(KIND)) {
            return null;
        }
        try {
            return new WorkflowLink(
                    WorkflowKind.valueOf(annotations.get(KIND)),
                    namespace,
                    annotations.get(NAME),
                    annotations.get(UID),
                    new Step(
                            annotations.getOrDefault(STEP_KEY, ""),
                            annotations.get(STEP_NAME),
                            Integer.parseInt(annotations.getOrDefault(STEP_ATTEMPT, "0")),
                            annotations.get(STEP_PLATFORM_KEY)));
        } catch (IllegalArgumentException e) { // NumberFormatException too: annotations anyone may write
            return null;
        }
    }

    private static void put(Map<String, String> annotations, String key, String value) {
        if (value != null) {
            annotations.put(key, value);
        }
    }
}
