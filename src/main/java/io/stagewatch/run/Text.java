package io.stagewatch.run;

/** Text from pods and requests, where an empty or all-space value means absent. */
public final class Text {

    private Text() {}

    public static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** The value, or null when it is blank. */
    public static String blankToNull(String value) {
        return isBlank(value) ? null : value;
    }

    /** The first value that is not blank, or null when all are. */
    public static String firstNonBlank(String... values) {
        for (String value : values) {
            if (!isBlank(value)) {
                return value;
            }
        }
        return null;
    }
}
