package io.stagewatch.run;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The timestamps of a pod object, which Kubernetes writes in RFC 3339. */
public final class Rfc3339 {

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
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new MalformedPodException("bad-timestamp", field + " is not an RFC 3339 time: " + value);
        }
    }
}
