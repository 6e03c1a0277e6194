package io.stagewatch.run;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** The timestamps of a pod object, which Kubernetes writes in RFC 3339. */
public final class Rfc3339 {

    private static final int SECONDS_PER_DAY = 86_400;

    private Rfc3339() {}

    /**
     * @param field the field's path in the pod, for the exception's message
     * @return the instant, or null when the field is absent
     * @throws MalformedPodException when the value is not an RFC 3339 time
     */
    public static Instant parse(String value, String field) {
        if (value == null) {
            return null;
        }
        Instant canonical = canonical(value);
        if (canonical != null) {
            return canonical;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new MalformedPodException("bad-timestamp", field + " is not an RFC 3339 time: " + value);
        }
    }

    /**
     * The form Kubernetes writes, {@code 2024-05-01T10:04:05Z}, read digit by digit: every observation reads a few, and
     * {@link Instant#parse} took a tenth of a pod's whole decision. Null for any other form (fractions of a second, an
     * offset, a leap second, an invalid date), which {@link Instant#parse} reads or refuses.
     */
    static Instant canonical(String value) {
        if (value.length() != 20
                || value.charAt(4) != '-'
                || value.charAt(7) != '-'
                || value.charAt(10) != 'T'
                || value.charAt(13) != ':'
                || value.charAt(16) != ':'
                || value.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(value, 0, 4);
        int month = digits(value, 5, 2);
        int day = digits(value, 8, 2);
        int hour = digits(value, 11, 2);
        int minute = digits(value, 14, 2);
        int second = digits(value, 17, 2);
        if (year < 0
                || month < 0
                || day < 0
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * SECONDS_PER_DAY + hour * 3_600L + minute * 60L + second);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The number written by {@code count} ASCII digits from {@code start}; -1 when one is not a digit. */
    private static int digits(String value, int start, int count) {
        int number = 0;
        for (int i = start; i < start + count; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }
}
