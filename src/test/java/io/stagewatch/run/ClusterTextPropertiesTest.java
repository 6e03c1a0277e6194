package io.stagewatch.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stagewatch.testing.DirtyPods;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of {@link ClusterText} over arbitrary text (jqwik): every char from U+0000 to U+FFFF (NUL, C1 controls,
 * lone surrogates), text made of the hostile ones, and strings of a megabyte ({@link DirtyPods#text}).
 */
class ClusterTextPropertiesTest {

    @Provide
    static Arbitrary<String> everyText() {
        return DirtyPods.text();
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
