package io.stagewatch.notification;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who stagewatch may mail, so that a pod cannot turn it into an open mail relay: a pod's notify annotation names at
 * most {@code maxPerPod} recipients, only in the namespaces allowed to (all, when unset), and, when domains are
 * configured, only at those domains; rule recipients are held to the same domains when the rule is written.
 */
public record RecipientPolicy(int maxPerPod, Optional<Set<String>> namespaces, Set<String> domains) {

    /** Why a recipient of an annotation was refused: the {@code why} tag of the refusal counter. */
    public enum Refusal {
        NAMESPACE("namespace"),
        DOMAIN("domain"),
        TOO_MANY("too-many");

        private final String tag;

        Refusal(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** The recipients an annotation gets, and how many it was refused, by reason, and how many were not addresses. */
    public record Admitted(List<String> recipients, Map<Refusal, Integer> refused, int invalid) {

        public boolean complete() {
            return refused.isEmpty() && invalid == 0;
        }
    }

    public RecipientPolicy {
        if (maxPerPod < 0) {
            throw new IllegalArgumentException("stagewatch.notify.max-annotation-recipients must not be negative");
        }
        namespaces = namespaces.map(Set::copyOf);
        domains = domains.stream()
                .map(domain -> domain.trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** A policy that allows every domain and namespace, with the given limit per pod. */
    public static RecipientPolicy open(int maxPerPod) {
        return new RecipientPolicy(maxPerPod, Optional.empty(), Set.of());
    }

    /** Whether a valid, normalized address is at a domain stagewatch may mail. */
    public boolean domainAllowed(String address) {
        return domains.isEmpty() || domains.contains(address.substring(address.lastIndexOf('@') + 1));
    }

    /**
     * The recipients a pod of {@code namespace} gets from its annotation's comma-separated {@code value}: valid,
     * normalized, without duplicates, in the order given, at allowed domains, at most {@code maxPerPod}.
     */
    public Admitted admit(String namespace, String value) {
        List<String> accepted = new ArrayList<>();
        Map<Refusal, Integer> refused = new EnumMap<>(Refusal.class);
        int invalid = 0;
        boolean namespaceAllowed =
                namespaces.map(allowed -> allowed.contains(namespace)).orElse(true);
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            if (!namespaceAllowed) {
                refused.merge(Refusal.NAMESPACE, 1, Integer::sum);
                continue;
            }
            String address = EmailAddress.normalize(entry);
            if (!EmailAddress.isValid(address)) {
                invalid++;
            } else if (accepted.contains(address)) {
                continue;
            } else if (!domainAllowed(address)) {
                refused.merge(Refusal.DOMAIN, 1, Integer::sum);
            } else if (accepted.size() >= maxPerPod) {
                refused.merge(Refusal.TOO_MANY, 1, Integer::sum);
            } else {
                accepted.add(address);
            }
        }
        return new Admitted(List.copyOf(accepted), Map.copyOf(refused), invalid);
    }
}
