package io.stagewatch.run;

/**
 * Text taken from the cluster, made safe once where it enters ({@code kube/SlimPods}), before it is classified,
 * cached, stored or shown. A pod's author writes some of it (a termination message is whatever the workload put in
 * {@code /dev/termination-log}), so it may hold anything: a NUL, which PostgreSQL refuses in text, would keep the run
 * from ever being recorded; a megabyte message would be stored and served whole.
 *
 * <ul>
 *   <li>Every control character but tab and line feed (C0, DEL and C1: U+0000-U+0008, U+000B-U+001F, U+007F-U+009F)
 *       and every lone surrogate becomes U+FFFD, the replacement character a UTF-8 decoder puts for what it cannot
 *       read: it shows that something was there and keeps the text's length.
 *   <li>A name (identity, label and annotation values, reasons, times) keeps at most {@value #MAX_NAME} characters, the
 *       longest name Kubernetes allows; a message (a pod's, a condition's, a container state's) at most
 *       {@value #MAX_MESSAGE}, its last one an ellipsis when it was cut. A cut never splits a surrogate pair.
 * </ul>
 *
 * A hot path (every pod of every event and reconcile pass): one scan of at most the kept length, no regex, and the
 * very same instance back when nothing changes.
 */
public final class ClusterText {

    public static final int MAX_NAME = 253;
    public static final int MAX_MESSAGE = 1000;
    public static final char REPLACEMENT = '\uFFFD';
    public static final char ELLIPSIS = '\u2026';

    private ClusterText() {}

    /** The name made safe; null for null. */
    public static String name(String value) {
        return safe(value, MAX_NAME, false);
    }

    /** The message made safe, cut with an ellipsis beyond {@value #MAX_MESSAGE} characters; null for null. */
    public static String message(String value) {
        return safe(value, MAX_MESSAGE, true);
    }

    /** True when the value holds no control character but tab and line feed, and no lone surrogate. */
    public static boolean isClean(String value) {
        return cleanPrefix(value, value.length()) == value.length();
    }

    private static String safe(String value, int max, boolean ellipsis) {
        if (value == null) {
            return null;
        }
        boolean cut = value.length() > max;
        int end = cut ? max - (ellipsis ? 1 : 0) : value.length();
        int clean = cleanPrefix(value, end);
        if (clean == end && !cut) {
            return value;
        }
        StringBuilder safe = new StringBuilder(end + 1).append(value, 0, clean);
        for (int i = clean; i < end; i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                if (i + 1 == end) {
                    break; // the pair straddles the cut: drop it whole
                }
                safe.append(c).append(value.charAt(++i));
            } else {
                safe.append(unsafe(c) ? REPLACEMENT : c);
            }
        }
        return cut && ellipsis ? safe.append(ELLIPSIS).toString() : safe.toString();
    }

    /** The length of the value's prefix, up to {@code end}, that needs no change. */
    private static int cleanPrefix(String value, int end) {
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (unsafe(c)) {
                return i;
            }
        }
        return end;
    }

    /** A control character other than tab and line feed, or a surrogate not part of a pair. */
    private static boolean unsafe(char c) {
        return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F) || Character.isSurrogate(c);
    }
}
