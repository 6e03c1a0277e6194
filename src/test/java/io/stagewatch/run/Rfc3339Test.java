package io.stagewatch.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Kubernetes' timestamps read by hand give what {@link Instant#parse} gives; every other form is left to it. */
class Rfc3339Test {

    @Test
    void theCanonicalFormReadsAsInstantParseReadsItOverFourCenturies() {
        Random random = new Random(3339);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-1_000_000_000L, 13_000_000_000L));
            String text = DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
            assertEquals(Instant.parse(text), Rfc3339.canonical(text), text);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2024-05-01T10:04:05.123Z",
                "2024-05-01T10:04:05+02:00",
                "2024-02-30T10:04:05Z",
                "2024-13-01T10:04:05Z",
                "2024-05-01T24:00:00Z",
                "2024-05-01T10:60:05Z",
                "2016-12-31T23:59:60Z",
                "2024-05-01 10:04:05Z",
                "2024-O5-01T10:04:05Z",
                "+024-05-01T10:04:05Z"
            })
    void anyOtherFormIsLeftToInstantParse(String text) {
        assertNull(Rfc3339.canonical(text));
    }

    @Test
    void otherValidFormsStillParseAndInvalidOnesAreMalformed() {
        assertEquals(Instant.parse("2024-05-01T08:04:05.5Z"), Rfc3339.parse("2024-05-01T08:04:05.5Z", "f"));
        assertEquals(Instant.parse("2024-05-01T08:04:05Z"), Rfc3339.parse("2024-05-01T10:04:05+02:00", "f"));
        assertEquals(Instant.parse("2024-05-01T10:04:05Z"), Rfc3339.parse("2024-05-01T10:04:05Z", "f"));
        assertThrows(MalformedPodException.class, () -> Rfc3339.parse("2024-02-30T10:04:05Z", "f"));
        assertThrows(MalformedPodException.class, () -> Rfc3339.parse("yesterday", "f"));
        assertNull(Rfc3339.parse(null, "f"));
    }
}
