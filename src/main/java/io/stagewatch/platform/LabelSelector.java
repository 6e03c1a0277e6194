package io.stagewatch.platform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector ({@code key}, {@code !key}, {@code key=value}, {@code key==value}, {@code key!=value},
 * {@code key in (a,b)}, {@code key notin (a,b)}, joined by commas), parsed once: the API server filters LISTs and
 * watches by its text, and a profile tests pods against it with map lookups only.
 */
public final class LabelSelector {

    private static final Pattern KEY =
            Pattern.compile("([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?");
    private static final Pattern VALUE = Pattern.compile("([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?");
    private static final Pattern SET = Pattern.compile("(\\S+)\\s+(in|notin)\\s*\\((.*)\\)");

    private enum Operator {
        EXISTS,
        NOT_EXISTS,
        IN,
        NOT_IN
    }

    private record Requirement(String key, Operator operator, String[] values) {

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EXISTS -> value != null;
                case NOT_EXISTS -> value == null;
                case IN -> value != null && contains(values, value);
                case NOT_IN -> value == null || !contains(values, value);
            };
        }

        private static boolean contains(String[] values, String value) {
            for (String candidate : values) {
                if (candidate.equals(value)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return switch (operator) {
                case EXISTS -> key;
                case NOT_EXISTS -> "!" + key;
                case IN -> values.length == 1 ? key + "=" + values[0] : key + " in (" + String.join(",", values) + ")";
                case NOT_IN ->
                    values.length == 1 ? key + "!=" + values[0] : key + " notin (" + String.join(",", values) + ")";
            };
        }
    }

    private final Requirement[] requirements;
    private final String text;

    private LabelSelector(Requirement[] requirements) {
        this.requirements = requirements;
        this.text = String.join(
                ",", Arrays.stream(requirements).map(Requirement::toString).toList());
    }

    /** @throws IllegalArgumentException naming the requirement that is not a valid label selector */
    public static LabelSelector parse(String selector) {
        List<Requirement> requirements = new ArrayList<>();
        for (String part : split(selector)) {
            requirements.add(requirement(part.trim(), selector));
        }
        if (requirements.isEmpty()) {
            throw new IllegalArgumentException("the label selector '" + selector + "' is empty");
        }
        return new LabelSelector(requirements.toArray(Requirement[]::new));
    }

    /** Both selectors' requirements: pods that match both. */
    public LabelSelector and(LabelSelector other) {
        Requirement[] both = Arrays.copyOf(requirements, requirements.length + other.requirements.length);
        System.arraycopy(other.requirements, 0, both, requirements.length, other.requirements.length);
        return new LabelSelector(both);
    }

    /** The label keys the selector reads. */
    public Set<String> keys() {
        return Arrays.stream(requirements).map(Requirement::key).collect(Collectors.toUnmodifiableSet());
    }

    /** True when the labels (never null) meet every requirement. */
    public boolean matches(Map<String, String> labels) {
        for (Requirement requirement : requirements) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** The selector as the API server takes it. */
    @Override
    public String toString() {
        return text;
    }

    /** The requirements: split at commas outside parentheses. */
    private static List<String> split(String selector) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(selector.substring(start));
        return parts.stream().filter(part -> !part.isBlank()).toList();
    }

    private static Requirement requirement(String part, String selector) {
        var set = SET.matcher(part);
        if (set.matches()) {
            String[] values =
                    Arrays.stream(set.group(3).split(",")).map(String::trim).toArray(String[]::new);
            for (String value : values) {
                value(value, part, selector);
            }
            return new Requirement(
                    key(set.group(1), part, selector),
                    "in".equals(set.group(2)) ? Operator.IN : Operator.NOT_IN,
                    values);
        }
        int notEquals = part.indexOf("!=");
        if (notEquals > 0) {
            return new Requirement(
                    key(part.substring(0, notEquals).trim(), part, selector),
                    Operator.NOT_IN,
                    new String[] {value(part.substring(notEquals + 2).trim(), part, selector)});
        }
        int equals = part.indexOf('=');
        if (equals > 0) {
            int valueStart = part.startsWith("==", equals) ? equals + 2 : equals + 1;
            return new Requirement(key(part.substring(0, equals).trim(), part, selector), Operator.IN, new String[] {
                value(part.substring(valueStart).trim(), part, selector)
            });
        }
        if (part.startsWith("!")) {
            return new Requirement(key(part.substring(1).trim(), part, selector), Operator.NOT_EXISTS, new String[0]);
        }
        return new Requirement(key(part, part, selector), Operator.EXISTS, new String[0]);
    }

    private static String key(String key, String part, String selector) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException(
                    "'" + part + "' in the label selector '" + selector + "' does not start with a valid label key");
        }
        return key;
    }

    private static String value(String value, String part, String selector) {
        if (!VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "'" + part + "' in the label selector '" + selector + "' has an invalid label value");
        }
        return value;
    }
}
