package io.stagewatch.notification;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.stagewatch.run.Platform;
import io.stagewatch.run.Stage;

/** Turns the fields of a requested rule into a rule, or names the first field that is wrong and why. */
public final class RuleValidator {

    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_RECIPIENTS = 100;

    private RuleValidator() {
    }

    /** A field of a requested rule that cannot be accepted. */
    public static final class InvalidRule extends RuntimeException {

        private final String field;

        InvalidRule(String field, String detail) {
            super(detail, null, false, false);
            this.field = field;
        }

        /** The name of the field as the API spells it. */
        public String field() {
            return field;
        }
    }

    /**
     * The rule the fields describe, not yet stored: name and pipeline trimmed, stages and events without duplicates,
     * recipients normalized and without duplicates, each in the order given, and at domains the policy allows.
     *
     * @throws InvalidRule naming the first field that is missing or wrong
     */
    public static NotificationRule validate(String name, String pipeline, List<String> stages, List<String> events,
            List<String> recipients, RecipientPolicy policy) {
        return NotificationRule.draft(name(name), pipeline(pipeline), names(Stage.class, "stages", stages),
                names(NotificationEvent.class, "events", events), recipients(recipients, policy));
    }

    /**
     * The platforms a rule is restricted to, by their ids ({@code argo}, {@code devtron}, ...), without duplicates, in
     * the order given; none (null or empty) for every platform.
     *
     * @throws InvalidRule when one is not a platform's id
     */
    public static List<Platform> platforms(List<String> values) {
        if (values == null) {
            return List.of();
        }
        Set<Platform> found = new LinkedHashSet<>();
        for (String value : values) {
            found.add(Platform.fromId(value).orElseThrow(() -> new InvalidRule("platforms", "'" + value
                    + "' is not one of " + Arrays.stream(Platform.values()).map(Platform::id).toList())));
        }
        return new ArrayList<>(found);
    }

    private static String name(String value) {
        String name = text("name", value);
        int length = name.codePointCount(0, name.length());
        if (length > MAX_NAME_LENGTH) {
            throw new InvalidRule("name", "name must be at most " + MAX_NAME_LENGTH + " characters, not " + length);
        }
        return name;
    }

    private static String pipeline(String value) {
        return text("pipeline", value);
    }

    /** A required single-line text, trimmed. */
    private static String text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRule(field, field + " is required and must not be blank");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRule(field, field + " must not contain control characters");
        }
        return value.trim();
    }

    /** Enum constants given by their exact API names, without duplicates, in the order given. */
    private static <E extends Enum<E>> List<E> names(Class<E> type, String field, List<String> values) {
        List<E> allowed = List.of(type.getEnumConstants());
        if (values == null || values.isEmpty()) {
            throw new InvalidRule(field, field + " must name at least one of " + allowed);
        }
        Set<E> found = new LinkedHashSet<>();
        for (String value : values) {
            found.add(allowed.stream()
                    .filter(constant -> constant.name().equals(value))
                    .findFirst()
                    .orElseThrow(() -> new InvalidRule(field, "'" + value + "' is not one of " + allowed)));
        }
        return new ArrayList<>(found);
    }

    private static List<String> recipients(List<String> values, RecipientPolicy policy) {
        if (values == null || values.isEmpty()) {
            throw new InvalidRule("recipients", "recipients must hold at least one e-mail address");
        }
        if (values.size() > MAX_RECIPIENTS) {
            throw new InvalidRule("recipients", "recipients must hold at most " + MAX_RECIPIENTS + " addresses, not "
                    + values.size());
        }
        Set<String> found = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null) {
                throw new InvalidRule("recipients", "recipients[" + i + "] is null");
            }
            // checked before trimming, which would quietly drop a trailing CR LF
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new InvalidRule("recipients", "recipients[" + i + "] contains a line break");
            }
            String address = EmailAddress.normalize(value);
            if (!EmailAddress.isValid(address)) {
                throw new InvalidRule("recipients", "recipients[" + i + "] is not a valid e-mail address: '" + value + "'");
            }
            if (!policy.domainAllowed(address)) {
                throw new InvalidRule("recipients", "recipients[" + i + "] is at a domain stagewatch may not mail: '"
                        + value + "' (stagewatch.notify.allowed-domains: " + String.join(", ", policy.domains().stream()
                                .sorted().toList()) + ")");
            }
            found.add(address);
        }
        return new ArrayList<>(found);
    }
}
