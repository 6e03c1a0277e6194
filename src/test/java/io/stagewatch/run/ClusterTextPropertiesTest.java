package io.stagewatch.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Properties of {@link ClusterText} over arbitrary text (jqwik): every char from U+0000 to U+FFFF (NUL, C1 controls,
 * lone surrogates), text made of the hostile ones, and strings of a megabyte. {@link #everyText} is the generator the
 * pipeline's and the API's property tests use too.
 */
public class ClusterTextPropertiesTest {

    /** Arbitrary text, hostile text and megabytes. */
    @Provide
    public static Arbitrary<String> everyText() {
        Arbitrary<String> anyChars = Arbitraries.strings().all().ofMaxLength(1200);
        Arbitrary<String> hostile = Arbitraries.strings()
                .withChars('\u0000', '\r', '\u001B', '\u007F', '\u0085', '\u009F', '\uD800', '\uDBFF', '\uDC00', 'a')
                .withChars('\t', '\n', '\u00A0', '\uFFFD', '\u2026')
                .ofMaxLength(1200);
        Arbitrary<String> megabytes = Arbitraries.strings()
                .all()
                .ofMinLength(1)
                .ofMaxLength(40)
                .map(unit -> unit.repeat(1024 * 1024 / unit.length() + 1));
        return Arbitraries.frequencyOf(Tuple.of(5, anyChars), Tuple.of(5, hostile), Tuple.of(1, megabytes));
    }

    @Property(tries = 300)
    void everyMessageIsSafeBoundedAndAPrefixOfWhatCameIn(@ForAll("everyText") String value) {
        assertSafe(ClusterText.message(value), value, ClusterText.MAX_MESSAGE);
    }

    @Property(tries = 300)
    void everyNameIsSafeBoundedAndAPrefixOfWhatCameIn(@ForAll("everyText") String value) {
        assertSafe(ClusterText.name(value), value, ClusterText.MAX_NAME);
    }

    @Property(tries = 300)
    void safeTextIsAFixedPoint(@ForAll("everyText") String value) {
        String message = ClusterText.message(value);
        assertSame(message, ClusterText.message(message));
        String name = ClusterText.name(value);
        assertSame(name, ClusterText.name(name));
    }

    /** At most max chars, no control but tab and line feed, no lone surrogate, and the same text up to the replacements. */
    private static void assertSafe(String safe, String value, int max) {
        assertTrue(safe.length() <= max, "length " + safe.length());
        for (int i = 0; i < safe.length(); i++) {
            char c = safe.charAt(i);
            assertFalse(Character.isISOControl(c) && c != '\t' && c != '\n', "a control at " + i);
            if (Character.isHighSurrogate(c)) {
                assertTrue(i + 1 < safe.length() && Character.isLowSurrogate(safe.charAt(++i)), "a lone surrogate");
            } else {
                assertFalse(Character.isLowSurrogate(c), "a lone surrogate at " + i);
            }
        }
        if (value.length() <= max) {
            assertEquals(value.length(), safe.length());
        }
        String kept = value.length() > max && safe.endsWith("\u2026") ? safe.substring(0, safe.length() - 1) : safe;
        for (int i = 0; i < kept.length(); i++) {
            assertTrue(kept.charAt(i) == value.charAt(i) || kept.charAt(i) == ClusterText.REPLACEMENT, "char " + i);
        }
    }
}
