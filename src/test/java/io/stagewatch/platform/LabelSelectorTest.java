package io.stagewatch.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Label selectors as the API server reads them: the text sent to it, and the same test on a pod's labels. */
class LabelSelectorTest {

    private static final Map<String, String> LABELS =
            Map.of("team", "payments", "tier", "ci", "example.org/watch", "true");

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "team; true",
                "!team; false",
                "!owner; true",
                "team=payments; true",
                "team==payments; true",
                "team!=payments; false",
                "owner!=x; true",
                "team in (payments, billing); true",
                "team notin (payments); false",
                "team,tier=ci,example.org/watch=true; true",
                "team,tier=cd; false",
                "owner in (a,b); false"
            })
    void matchesLikeTheApiServer(String selector, boolean matches) {
        assertEquals(matches, LabelSelector.parse(selector).matches(LABELS), selector);
    }

    @Test
    void theTextSentToTheServerIsCanonical() {
        assertEquals(
                "a,!b,c=1,d!=2,e in (x,y),f notin (z,w)",
                LabelSelector.parse(" a , !b, c==1, d != 2, e in (x, y), f notin (z,w)")
                        .toString());
        assertEquals(
                "a,b=1",
                LabelSelector.parse("a").and(LabelSelector.parse("b=1")).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " , ", "bad key=1", "a=b c", "=x", "a in (b c)", "-a"})
    void aBadSelectorIsRejectedNamingIt(String selector) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse(selector));
        assertTrue(e.getMessage().contains("label selector"), e.getMessage());
    }
}
