package io.stagewatch.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Toleration;
import io.stagewatch.run.NodeLoss.Assessment;
import io.stagewatch.run.NodeLoss.Node;
import io.stagewatch.run.NodeLoss.Tolerations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeLossTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:04:05Z");
    private static final Duration GRACE = Duration.ofSeconds(40);

    /**
     * A node (Ready status, NoExecute taints as {@code key@secondsAfterT0;...}, with the short keys unreachable,
     * not-ready, out-of-service), a pod's tolerations of unreachable and not-ready (blank: forever), the seconds after
     * T0 it is judged at, and what comes of it.
     */
    @ParameterizedTest(name = "{0} {1} tolerated {2}/{3} at +{4}s: {5}")
    @CsvSource(delimiter = '|', textBlock = """
            # ready  | taints                        | unreach | notready | at  | rule           | atRisk
            True     |                               | 0       | 0        | 999 |                |
            False    |                               | 0       | 0        | 999 |                | node n1 NotReady since 10:04:05Z
            Unknown  |                               | 0       | 0        | 999 |                | node n1 NotReady since 10:04:05Z
            Unknown  | unreachable@0                 | 300     | 300      | 299 |                | node n1 NotReady since 10:04:05Z
            Unknown  | unreachable@0                 | 300     | 300      | 300 | TAINT          | node n1 NotReady since 10:04:05Z
            Unknown  | unreachable@0                 | 0       | 0        | 0   | TAINT          | node n1 NotReady since 10:04:05Z
            Unknown  | unreachable@0                 |         | 0        | 9999| NONE_BUT_RISK  | node n1 NotReady since 10:04:05Z
            False    | not-ready@0                   |         | 15       | 14  | NONE_BUT_RISK  | node n1 NotReady since 10:04:05Z
            False    | not-ready@0                   |         | 15       | 15  | TAINT          | node n1 NotReady since 10:04:05Z
            True     | unreachable@10                | 300     | 300      | 20  |                | node n1 tainted node.kubernetes.io/unreachable since 10:04:15Z
            True     | out-of-service@0              | 0       | 0        | 5   |                |
            Unknown  | out-of-service@0              |         |          | 5   | OUT_OF_SERVICE | node n1 NotReady since 10:04:05Z
            Unknown  | unreachable@0;out-of-service@1 |        |          | 5   | OUT_OF_SERVICE | node n1 NotReady since 10:04:05Z
            """)
    void aNodeIsLostOnlyWhenKubernetesGivesUpOnIt(
            String ready, String taints, Long unreachable, Long notReady, int at, String rule, String atRisk) {
        Node node = new Node("n1", ready, T0, taints(taints));
        Assessment assessment =
                NodeLoss.assess("n1", node, null, new Tolerations(unreachable, notReady), T0.plusSeconds(at), GRACE);
        assertEquals(atRisk, assessment.atRisk());
        boolean lost = rule != null && !"NONE_BUT_RISK".equals(rule);
        assertEquals(lost, assessment.lost());
        if (lost) {
            assertEquals(NodeLoss.Rule.valueOf(rule), assessment.rule());
            assertEquals(FailureReason.NODE_LOST, assessment.verdict().reason());
            assertEquals(FailureCause.INFRASTRUCTURE, assessment.verdict().cause());
            assertTrue(assessment.message().contains("n1"), assessment.message());
        }
    }

    @ParameterizedTest(name = "deleted, judged at +{0}s: lost {1}")
    @CsvSource({"0, false", "39, false", "40, true", "400, true"})
    void aDeletedNodeIsLostOnceTheGraceHasPassed(int at, boolean lost) {
        Assessment assessment = NodeLoss.assess("n1", null, T0, Tolerations.NONE, T0.plusSeconds(at), GRACE);
        assertEquals("node n1 deleted", assessment.atRisk());
        assertEquals(lost, assessment.lost());
        if (lost) {
            assertEquals(NodeLoss.Rule.DELETED, assessment.rule());
            assertEquals("The node n1 was deleted and did not come back within 40s.", assessment.message());
        }
    }

    @Test
    void aNodeNeitherSeenNorMissedSaysNothing() {
        assertEquals(new Assessment(null, null, null), NodeLoss.assess("n1", null, null, Tolerations.NONE, T0, GRACE));
    }

    /**
     * Tolerations as {@code key:operator:effect:seconds} (blank parts absent), and how long they tolerate the
     * unreachable and the not-ready taint (blank: forever).
     */
    @ParameterizedTest(name = "{0}: {1}/{2}")
    @CsvSource(delimiter = '|', textBlock = """
            # tolerations                                                                  | unreach | notready
            ''                                                                             | 0       | 0
            node.kubernetes.io/unreachable:Exists:NoExecute:300                            | 300     | 0
            node.kubernetes.io/unreachable:Exists:NoExecute:                               |         | 0
            node.kubernetes.io/not-ready:Equal:NoExecute:15                                | 0       | 15
            node.kubernetes.io/not-ready:Exists::15                                        | 0       | 15
            node.kubernetes.io/not-ready:Exists:NoSchedule:15                              | 0       | 0
            :Exists::                                                                      |         |
            :Exists:NoExecute:60                                                           | 60      | 60
            :Equal:NoExecute:60                                                            | 0       | 0
            node.kubernetes.io/unreachable:Exists:NoExecute:300;:Exists::                  | 300     |
            node.kubernetes.io/unreachable:Exists:NoExecute:300;node.kubernetes.io/unreachable:Exists:NoExecute:30 | 30 | 0
            node.kubernetes.io/unreachable:Exists:NoExecute:-5                             | 0       | 0
            other:Exists:NoExecute:                                                        | 0       | 0
            """)
    void tolerationsAreReadAsTheTaintManagerReadsThem(String tolerations, Long unreachable, Long notReady) {
        Tolerations read = Tolerations.of(tolerations(tolerations));
        assertEquals(new Tolerations(unreachable, notReady), read);
        assertEquals(read, Tolerations.of(read.asTolerations()));
    }

    private static Map<String, Instant> taints(String text) {
        Map<String, Instant> taints = new HashMap<>();
        if (text != null) {
            for (String taint : text.split(";")) {
                String[] parts = taint.trim().split("@");
                taints.put("node.kubernetes.io/" + parts[0], T0.plusSeconds(Long.parseLong(parts[1])));
            }
        }
        return taints;
    }

    private static List<Toleration> tolerations(String text) {
        List<Toleration> list = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return list;
        }
        for (String item : text.split(";")) {
            String[] parts = item.trim().split(":", -1);
            list.add(new Toleration(
                    blank(parts[2]),
                    blank(parts[0]),
                    blank(parts[1]),
                    parts[3].isBlank() ? null : Long.valueOf(parts[3]),
                    null));
        }
        return list;
    }

    private static String blank(String value) {
        return value.isBlank() ? null : value;
    }
}
