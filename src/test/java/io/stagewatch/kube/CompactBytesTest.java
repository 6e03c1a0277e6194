package io.stagewatch.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What is written is read back, in order, whatever the value. */
class CompactBytesTest {

    @Test
    void numbersStringsAndCountsComeBackAsWritten() {
        List<Long> numbers = List.of(
                0L, 1L, -1L, 63L, -64L, 64L, 300L, -300L, Long.MAX_VALUE, Long.MIN_VALUE, (long) Integer.MIN_VALUE);
        String longText = "x".repeat(20_000);
        CompactBytes.Writer out = new CompactBytes.Writer();
        numbers.forEach(out::number);
        out.number(null);
        out.string(null);
        out.string("");
        out.string("ünïcödé ✓ 𝄞");
        out.string(longText);
        out.count(null);
        out.count(new ArrayList<>(List.of("a", "b", "c")));
        out.unsigned(Integer.MAX_VALUE);

        CompactBytes.Reader in = new CompactBytes.Reader(out.bytes());
        numbers.forEach(number -> assertEquals(number, in.number()));
        assertNull(in.number());
        assertNull(in.string());
        assertEquals("", in.string());
        assertEquals("ünïcödé ✓ 𝄞", in.string());
        assertEquals(longText, in.string());
        assertEquals(-1, in.count());
        assertEquals(3, in.count());
        assertEquals(Integer.MAX_VALUE, in.unsigned());
    }
}
