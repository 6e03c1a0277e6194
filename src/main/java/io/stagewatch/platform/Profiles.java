package io.stagewatch.platform;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The enabled profiles, tried from the most specific to the most general ({@link io.stagewatch.run.Platform} order)
 * whatever order they were configured in: a pod belongs to the first that claims it.
 */
public final class Profiles {

    private final Profile[] ordered;

    public Profiles(List<Profile> enabled) {
        this.ordered =
                enabled.stream().sorted(Comparator.comparing(Profile::platform)).toArray(Profile[]::new);
        for (int i = 1; i < ordered.length; i++) {
            if (ordered[i].platform() == ordered[i - 1].platform()) {
                throw new IllegalArgumentException(
                        "profile " + ordered[i].platform().id() + " is enabled twice");
            }
        }
    }

    /** The enabled profiles, most specific first. */
    public List<Profile> enabled() {
        return List.of(ordered);
    }

    /**
     * One LIST and watch: a profile's selector in one namespace.
     *
     * @param namespace null for every namespace
     */
    public record Watch(Profile profile, LabelSelector selector, String namespace) {}

    /** Every LIST and watch the enabled profiles need: the union of their selectors, in each of their namespaces. */
    public List<Watch> watches() {
        List<Watch> watches = new ArrayList<>();
        for (Profile profile : ordered) {
            for (LabelSelector selector : profile.selectors()) {
                if (profile.namespaces().isEmpty()) {
                    watches.add(new Watch(profile, selector, null));
                } else {
                    profile.namespaces().stream().sorted().forEach(ns -> watches.add(new Watch(profile, selector, ns)));
                }
            }
        }
        return List.copyOf(watches);
    }

    /** Every label key an enabled profile reads. */
    public Set<String> labelKeys() {
        Set<String> keys = new HashSet<>();
        for (Profile profile : ordered) {
            keys.addAll(profile.labelKeys());
        }
        return keys;
    }

    /** True when the enabled profile of the platform watches the namespace. */
    public boolean watches(String platform, String namespace) {
        for (Profile profile : ordered) {
            if (profile.platform().id().equals(platform)) {
                return profile.namespaces().isEmpty() || profile.namespaces().contains(namespace);
            }
        }
        return false;
    }

    /**
     * The profile whose run the pod is, or null when it is no run: no profile claims it, or the first that does says
     * it is a helper pod. Map lookups only, no allocation: every event of every watched pod goes through here.
     */
    public Profile claimant(ObjectMeta meta) {
        for (Profile profile : ordered) {
            Profile.Claim claim = profile.claim(meta);
            if (claim != Profile.Claim.NONE) {
                return claim == Profile.Claim.RUN ? profile : null;
            }
        }
        return null;
    }

    /** {@code base}, narrowed by {@code extra} when there is one. */
    static LabelSelector with(LabelSelector base, LabelSelector extra) {
        return Optional.ofNullable(extra).map(base::and).orElse(base);
    }
}
