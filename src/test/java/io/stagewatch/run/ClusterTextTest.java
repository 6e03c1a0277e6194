package io.stagewatch.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cluster text made safe: controls and lone surrogates replaced, lengths capped, and clean text handed back as the very
 * same instance. The properties over arbitrary text are {@link ClusterTextPropertiesTest}.
 */
class ClusterTextTest {

    static Stream<Arguments> cases() {
        String pair = "\uD83D\uDE00"; // one emoji, two chars
        return Stream.of(
                Arguments.of("OOMKilled", "OOMKilled"),
                Arguments.of("tab\tand\nline feed stay", "tab\tand\nline feed stay"),
                Arguments.of("nul\u0000here", "nul\uFFFDhere"),
                Arguments.of("cr\r\nlf", "cr\uFFFD\nlf"),
                Arguments.of("escape\u001B[31mred", "escape\uFFFD[31mred"),
                Arguments.of("del\u007F c1\u0080\u0085\u009F", "del\uFFFD c1\uFFFD\uFFFD\uFFFD"),
                Arguments.of("not c1: \u00A0\u00E9", "not c1: \u00A0\u00E9"),
                Arguments.of("pair " + pair, "pair " + pair),
                Arguments.of("lone high \uD83D end", "lone high \uFFFD end"),
                Arguments.of("lone low \uDE00 end", "lone low \uFFFD end"),
                Arguments.of("ends high \uD83D", "ends high \uFFFD"),
                Arguments.of("reversed \uDE00\uD83D", "reversed \uFFFD\uFFFD"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void controlsAndLoneSurrogatesAreReplacedAndTheRestKept(String value, String safe) {
        assertEquals(safe, ClusterText.name(value));
        assertEquals(safe, ClusterText.message(value));
    }

    @Test
    void cleanTextIsTheSameInstance() {
        String clean = "container main: ErrImagePull: pull access denied for registry.example/app";
        assertSame(clean, ClusterText.message(clean));
        assertSame(clean, ClusterText.name(clean));
        String longestName = "n".repeat(ClusterText.MAX_NAME);
        assertSame(longestName, ClusterText.name(longestName));
        String longestMessage = "m".repeat(ClusterText.MAX_MESSAGE);
        assertSame(longestMessage, ClusterText.message(longestMessage));
        assertNull(ClusterText.name(null));
        assertNull(ClusterText.message(null));
    }

    @Test
    void aNameIsCutAt253AndAMessageAt1000WithAnEllipsis() {
        assertEquals("n".repeat(253), ClusterText.name("n".repeat(254)));
        assertEquals("m".repeat(999) + "\u2026", ClusterText.message("m".repeat(1001)));
        assertEquals("m".repeat(999) + "\u2026", ClusterText.message("m".repeat(1024 * 1024)));
        assertEquals("\uFFFD".repeat(999) + "\u2026", ClusterText.message("\u0000".repeat(5000)));
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String pair = "\uD83D\uDE00";
        assertEquals("n".repeat(252), ClusterText.name("n".repeat(252) + pair));
        assertEquals("n".repeat(251) + pair, ClusterText.name("n".repeat(251) + pair + "x"));
        assertEquals("m".repeat(998) + "\u2026", ClusterText.message("m".repeat(998) + pair + "tail"));
    }
}
