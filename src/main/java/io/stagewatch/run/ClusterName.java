package io.stagewatch.run;

import java.util.regex.Pattern;

/**
 * A cluster's name: a DNS label ({@code [a-z0-9]([-a-z0-9]*[a-z0-9])?}, at most 63 characters), as
 * {@code stagewatch.cluster.name}, a rule's {@code clusters} and the API's {@code cluster} parameter name it. The
 * configuration checks its own setting with the same rule ({@code StagewatchConfig.DnsLabel}).
 */
public final class ClusterName {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private ClusterName() {}

    /** True when {@code name} is a cluster name. */
    public static boolean isValid(String name) {
        return name != null && LABEL.matcher(name).matches();
    }
}
