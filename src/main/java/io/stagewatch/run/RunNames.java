package io.stagewatch.run;

import java.util.function.UnaryOperator;

/**
 * What a run is called: the names its profile reads from its pod, each null when the pod does not say. They travel
 * whole, from the profile through the store to the API, the feed and the mails: a new name is a component here, its
 * label key, its column, and whatever shows it.
 *
 * @param workflow    what the platform's user started, shown to users
 * @param pipeline    what notification rules match
 * @param app         the application, optional
 * @param environment the target environment, optional
 * @param cluster     the cluster of the pod ({@link ClusterName}); not the profile's to read: the pipeline sets it from
 *                    the cluster the pod was seen in, and every recorded run has it
 */
public record RunNames(String workflow, String pipeline, String app, String environment, String cluster) {

    /** No name at all: the start of a profile that reads none of stagewatch's labels. */
    public static final RunNames NONE = new RunNames(null, null, null, null, null);

    public RunNames withWorkflow(String workflow) {
        return new RunNames(workflow, pipeline, app, environment, cluster);
    }

    public RunNames withPipeline(String pipeline) {
        return new RunNames(workflow, pipeline, app, environment, cluster);
    }

    public RunNames withApp(String app) {
        return new RunNames(workflow, pipeline, app, environment, cluster);
    }

    public RunNames withEnvironment(String environment) {
        return new RunNames(workflow, pipeline, app, environment, cluster);
    }

    public RunNames withCluster(String cluster) {
        return new RunNames(workflow, pipeline, app, environment, cluster);
    }

    /** Every name that is set, through {@code change}; the names that are not stay null. */
    public RunNames map(UnaryOperator<String> change) {
        return new RunNames(
                apply(change, workflow),
                apply(change, pipeline),
                apply(change, app),
                apply(change, environment),
                apply(change, cluster));
    }

    private static String apply(UnaryOperator<String> change, String name) {
        return name == null ? null : change.apply(name);
    }
}
