package io.stagewatch.run;

import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a node's state means for an unfinished run on it: nothing, at risk (a short text, not a status), or lost (a
 * NODE_LOST verdict, the moment Kubernetes has given up on the node). The rules are written out in
 * {@code docs/classification.md} ("Lost nodes"); this class and that page say the same thing.
 */
public final class NodeLoss {

    /** The NoExecute taint the node lifecycle controller adds when a node stops reporting. */
    public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    /** The NoExecute taint the node lifecycle controller adds when a node reports NotReady. */
    public static final String NOT_READY = "node.kubernetes.io/not-ready";
    /** The taint an operator adds to a node known to be down, so that its pods may be deleted at once. */
    public static final String OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

    private static final List<String> EVICTING = List.of(UNREACHABLE, NOT_READY);
    private static final String NO_EXECUTE = "NoExecute";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private NodeLoss() {}

    /** Which rule found a node lost; the tag of the NODE_LOST verdicts metric. */
    public enum Rule {
        /** An unreachable or not-ready taint outlasted the pod's toleration of it. */
        TAINT("taint"),
        /** The out-of-service taint on a node that is not Ready. */
        OUT_OF_SERVICE("out-of-service"),
        /** The node was deleted and did not come back within the grace. */
        DELETED("deleted");

        private final String tag;

        Rule(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /**
     * A node as the decision needs it.
     *
     * @param ready      the status of its Ready condition ({@code True}, {@code False}, {@code Unknown}); null without
     *                   one
     * @param readySince the Ready condition's last transition time; may be null
     * @param taints     its NoExecute taints, by key, with the time each was added
     */
    public record Node(String name, String ready, Instant readySince, Map<String, Instant> taints) {

        public Node {
            taints = Map.copyOf(taints);
        }

        /** True when the node is Ready and carries neither the unreachable nor the not-ready taint. */
        public boolean healthy() {
            return isReady() && EVICTING.stream().noneMatch(taints::containsKey);
        }

        boolean isReady() {
            return "True".equals(ready);
        }
    }

    /**
     * How long a pod tolerates each of the two taints that evict it from a failing node, as the taint manager reads
     * its tolerations: 0 without a matching toleration, the shortest of the matching ones, null (forever) when none of
     * them has {@code tolerationSeconds}.
     */
    public record Tolerations(Long unreachable, Long notReady) {

        public static final Tolerations NONE = new Tolerations(0L, 0L);

        public static Tolerations of(List<Toleration> tolerations) {
            return tolerations == null || tolerations.isEmpty()
                    ? NONE
                    : new Tolerations(seconds(tolerations, UNREACHABLE), seconds(tolerations, NOT_READY));
        }

        /** Tolerations that the taint manager reads as these; none for a taint tolerated 0 s. */
        public List<Toleration> asTolerations() {
            List<Toleration> list = new ArrayList<>(2);
            add(list, UNREACHABLE, unreachable);
            add(list, NOT_READY, notReady);
            return list;
        }

        Long of(String key) {
            return UNREACHABLE.equals(key) ? unreachable : notReady;
        }

        private static void add(List<Toleration> list, String key, Long seconds) {
            if (seconds == null || seconds > 0) {
                list.add(new Toleration(NO_EXECUTE, key, "Exists", seconds, null));
            }
        }

        /** The taint manager's {@code getMinTolerationTime} over the tolerations that match the taint. */
        private static Long seconds(List<Toleration> tolerations, String key) {
            boolean matched = false;
            long shortest = Long.MAX_VALUE;
            for (Toleration toleration : tolerations) {
                if (toleration == null || !matches(toleration, key)) {
                    continue;
                }
                matched = true;
                Long seconds = toleration.getTolerationSeconds();
                if (seconds != null) {
                    shortest = Math.min(shortest, Math.max(seconds, 0));
                }
            }
            if (!matched) {
                return 0L;
            }
            return shortest == Long.MAX_VALUE ? null : shortest;
        }

        /** Whether the toleration tolerates the NoExecute taint {@code key} (which has no value). */
        private static boolean matches(Toleration toleration, String key) {
            String effect = toleration.getEffect();
            if (!Text.isBlank(effect) && !NO_EXECUTE.equals(effect)) {
                return false;
            }
            boolean exists = "Exists".equals(toleration.getOperator());
            if (Text.isBlank(toleration.getKey())) {
                return exists;
            }
            return key.equals(toleration.getKey()) && (exists || Text.isBlank(toleration.getValue()));
        }
    }

    /**
     * What the node means for a run on it.
     *
     * @param atRisk  a short text while the run is at risk, else null
     * @param rule    the rule that found the node lost, else null
     * @param message the NODE_LOST verdict's message, else null
     */
    public record Assessment(String atRisk, Rule rule, String message) {

        static final Assessment FINE = new Assessment(null, null, null);

        public boolean lost() {
            return rule != null;
        }

        /** The NODE_LOST verdict; only when {@link #lost()}. */
        public Verdict verdict() {
            return Verdict.failed(FailureReason.NODE_LOST, message);
        }
    }

    /**
     * Assesses a node for an unfinished pod on it, whose deletion has not been requested.
     *
     * @param name        the pod's node
     * @param node        the node, or null when it is absent
     * @param goneSince   since when it is absent (null when it is not)
     * @param tolerations the pod's tolerations of the two evicting taints
     * @param grace       how long a deleted node may take to come back
     */
    public static Assessment assess(
            String name, Node node, Instant goneSince, Tolerations tolerations, Instant now, Duration grace) {
        if (node == null) {
            if (goneSince == null) {
                return Assessment.FINE;
            }
            String atRisk = "node " + name + " deleted";
            return now.isBefore(goneSince.plus(grace))
                    ? new Assessment(atRisk, null, null)
                    : new Assessment(
                            atRisk,
                            Rule.DELETED,
                            "The node " + name + " was deleted and did not come back within " + seconds(grace) + ".");
        }
        if (node.healthy()) {
            return Assessment.FINE;
        }
        String atRisk = atRisk(node);
        if (!node.isReady() && node.taints().containsKey(OUT_OF_SERVICE)) {
            return new Assessment(
                    atRisk,
                    Rule.OUT_OF_SERVICE,
                    "The node " + name + " is out of service (taint " + OUT_OF_SERVICE + ") and not Ready.");
        }
        for (String key : EVICTING) {
            Instant added = node.taints().get(key);
            Long tolerated = tolerations.of(key);
            if (added != null && tolerated != null && !now.isBefore(added.plusSeconds(tolerated))) {
                return new Assessment(
                        atRisk,
                        Rule.TAINT,
                        "Kubernetes evicts the pod from node " + name + ": taint " + key + " since " + added
                                + ", tolerated for " + tolerated + "s.");
            }
        }
        return new Assessment(atRisk, null, null);
    }

    private static String atRisk(Node node) {
        if (!node.isReady()) {
            return "node " + node.name() + " NotReady" + since(node.readySince());
        }
        String key = node.taints().containsKey(UNREACHABLE) ? UNREACHABLE : NOT_READY;
        return "node " + node.name() + " tainted " + key + since(node.taints().get(key));
    }

    private static String since(Instant time) {
        return time == null ? "" : " since " + TIME.format(time);
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + "s";
    }
}
