package io.stagewatch.platform;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.stagewatch.run.MalformedPodException;
import io.stagewatch.run.Platform;
import io.stagewatch.run.Stage;
import io.stagewatch.run.Text;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One platform's knowledge of its pods: which pods are its own (by namespace and label selectors, tested with map
 * lookups only, since every event of every watched pod is tested), and how such a pod maps to a run.
 */
public abstract class Profile {

    /** What a profile says of a pod. */
    public enum Claim {
        /** Not this platform's pod: the next profile may claim it. */
        NONE,
        /** This platform's pod, and a run. */
        RUN,
        /** This platform's pod, but not a run (a helper pod): no other profile may take it either. */
        IGNORE
    }

    /** A trailing {@code -xxxxx}: the random suffix Kubernetes adds to a generateName. */
    private static final Pattern GENERATED_SUFFIX = Pattern.compile("^(.+)-[a-z0-9]{5}$");

    private final Platform platform;
    private final Set<String> namespaces;
    private final List<LabelSelector> selectors;
    /** The same, for the claim: iterating an array allocates nothing. */
    private final LabelSelector[] matching;

    private final Set<String> mapped;

    /**
     * @param namespaces the namespaces of its pods; empty for every namespace
     * @param selectors  one LIST and watch each; a pod of the platform matches at least one
     * @param mapped     the label keys {@link #map} reads, besides the selectors'
     */
    protected Profile(Platform platform, Set<String> namespaces, List<LabelSelector> selectors, Set<String> mapped) {
        this.platform = platform;
        this.mapped = Set.copyOf(mapped);
        this.namespaces = Set.copyOf(namespaces);
        this.selectors = List.copyOf(selectors);
        this.matching = selectors.toArray(LabelSelector[]::new);
    }

    public Platform platform() {
        return platform;
    }

    /** The namespaces watched for this profile; empty for every namespace. */
    public Set<String> namespaces() {
        return namespaces;
    }

    /** The label selectors of the profile's LISTs and watches, one each. */
    public List<LabelSelector> selectors() {
        return selectors;
    }

    /**
     * Every label key the profile reads: its selectors' and {@code mapped}, the keys its mapping reads. The slim copies
     * of pods keep these labels and no others.
     */
    public Set<String> labelKeys() {
        Set<String> keys = new HashSet<>(mapped);
        selectors.forEach(selector -> keys.addAll(selector.keys()));
        return Set.copyOf(keys);
    }

    /** Whether the pod (its slim copy) is this platform's; no allocation. */
    public Claim claim(ObjectMeta meta) {
        if (meta == null || (!namespaces.isEmpty() && !namespaces.contains(meta.getNamespace()))) {
            return Claim.NONE;
        }
        Map<String, String> labels = labels(meta);
        for (LabelSelector selector : matching) {
            if (selector.matches(labels)) {
                return refine(meta, labels);
            }
        }
        return Claim.NONE;
    }

    /** The claim on a pod in the profile's namespaces that matches one of its selectors. */
    protected Claim refine(ObjectMeta meta, Map<String, String> labels) {
        return Claim.RUN;
    }

    /**
     * The run of a pod this profile claimed.
     *
     * @throws MalformedPodException when the pod does not say what the run needs (its stage above all)
     */
    public abstract RunMapping map(Pod pod);

    protected static Map<String, String> labels(ObjectMeta meta) {
        return meta.getLabels() == null ? Map.of() : meta.getLabels();
    }

    protected static Map<String, String> annotations(ObjectMeta meta) {
        return meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
    }

    /** The stage the pod's stage label names, else {@code otherwise}; an unknown value is an error, never a guess. */
    protected static Stage stage(Map<String, String> labels, String key, Stage otherwise) {
        String value = labels.get(key);
        if (value == null) {
            return otherwise;
        }
        return Stage.fromLabel(value)
                .orElseThrow(() -> new MalformedPodException(
                        "unknown-stage", "label " + key + " has the unknown value '" + value + "'"));
    }

    /** The first value that is not blank, or null. */
    protected static String first(String... values) {
        for (String value : values) {
            if (!Text.isBlank(value)) {
                return value;
            }
        }
        return null;
    }

    /** The name without the random suffix of a generateName ({@code build-x7k2p} → {@code build}), or null. */
    public static String generatedStem(String name) {
        if (name == null) {
            return null;
        }
        Matcher matcher = GENERATED_SUFFIX.matcher(name);
        return matcher.matches() ? matcher.group(1) : null;
    }

    @Override
    public String toString() {
        return platform.id() + Objects.toString(selectors);
    }
}
