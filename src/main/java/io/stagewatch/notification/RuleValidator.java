package io.stagewatch.notification;

import io.stagewatch.run.ClusterName;
import io.stagewatch.run.Platform;
import io.stagewatch.run.Stage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Turns the fields of a requested rule into a rule, or names the first field that is wrong and why. */
public final class RuleValidator {

    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_RECIPIENTS = 100;
    public static final int MAX_WEBHOOKS = 20;
    public static final int MAX_SECRET_LENGTH = 256;

    private RuleValidator() {}

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

    /** A webhook as a request gives it: {@code kind} is the id of a {@link Webhook.Kind}. */
    public record WebhookFields(String url, String kind, String secret) {}

    /**
     * The rule the fields describe, not yet stored: name and pipeline trimmed, stages and events without duplicates,
     * recipients normalized, without duplicates and at domains the policy allows, webhooks checked ({@link WebhookUrl}) and without duplicates, each
     * in the order given. A webhook whose secret is {@link Webhook#HIDDEN_SECRET} keeps the secret of the stored
     * webhook with its URL, and a Slack URL given as it is shown (scheme and host) names the stored one it shows.
     *
     * @param stored       the webhooks of the rule being replaced; empty for a new rule
     * @param allowedHosts hosts a webhook may reach whatever their addresses, over http too
     * @param policy       the domains rules may mail
     *
     * @throws InvalidRule naming the first field that is missing or wrong
     */
    public static NotificationRule validate(
            String name,
            String pipeline,
            List<String> stages,
            List<String> events,
            List<String> recipients,
            List<WebhookFields> webhooks,
            List<Webhook> stored,
            Set<String> allowedHosts,
            RecipientPolicy policy) {
        String validName = name(name);
        String validPipeline = pipeline(pipeline);
        List<Stage> validStages = names(Stage.class, "stages", stages);
        List<NotificationEvent> validEvents = names(NotificationEvent.class, "events", events);
        List<Webhook> validWebhooks = webhooks(webhooks, stored, allowedHosts);
        return NotificationRule.draft(
                validName,
                validPipeline,
                validStages,
                validEvents,
                recipients(recipients, validWebhooks.isEmpty(), policy),
                validWebhooks);
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
            found.add(Platform.fromId(value)
                    .orElseThrow(() -> new InvalidRule(
                            "platforms",
                            "'" + value + "' is not one of "
                                    + Arrays.stream(Platform.values())
                                            .map(Platform::id)
                                            .toList())));
        }
        return new ArrayList<>(found);
    }

    /**
     * The clusters a rule is restricted to, by name, without duplicates, in the order given; none (null or empty) for
     * every cluster. A cluster no instance watches yet is allowed: its runs come later.
     *
     * @throws InvalidRule when one is not a cluster name
     */
    public static List<String> clusters(List<String> values) {
        if (values == null) {
            return List.of();
        }
        Set<String> found = new LinkedHashSet<>();
        for (String value : values) {
            if (!ClusterName.isValid(value)) {
                throw new InvalidRule("clusters", "'" + value + "' is not a cluster name (a DNS label)");
            }
            found.add(value);
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

    private static List<String> recipients(List<String> values, boolean required, RecipientPolicy policy) {
        if (values == null || values.isEmpty()) {
            if (!required) {
                return List.of();
            }
            throw new InvalidRule(
                    "recipients", "recipients must hold at least one e-mail address when there are no " + "webhooks");
        }
        if (values.size() > MAX_RECIPIENTS) {
            throw new InvalidRule(
                    "recipients",
                    "recipients must hold at most " + MAX_RECIPIENTS + " addresses, not " + values.size());
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
                throw new InvalidRule(
                        "recipients", "recipients[" + i + "] is not a valid e-mail address: '" + value + "'");
            }
            if (!policy.domainAllowed(address)) {
                throw new InvalidRule(
                        "recipients",
                        "recipients[" + i + "] is at a domain stagewatch may not mail: '"
                                + value + "' (stagewatch.notify.allowed-domains: "
                                + String.join(
                                        ", ", policy.domains().stream().sorted().toList()) + ")");
            }
            found.add(address);
        }
        return new ArrayList<>(found);
    }

    private static List<Webhook> webhooks(List<WebhookFields> values, List<Webhook> stored, Set<String> allowedHosts) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_WEBHOOKS) {
            throw new InvalidRule(
                    "webhooks", "webhooks must hold at most " + MAX_WEBHOOKS + " webhooks, not " + values.size());
        }
        List<Webhook> found = new ArrayList<>();
        Set<Webhook> matched = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String field = "webhooks[" + i + "]";
            WebhookFields value = values.get(i);
            if (value == null) {
                throw new InvalidRule("webhooks", field + " is null");
            }
            Webhook.Kind kind = kind(field, value.kind());
            Webhook same = stored.stream()
                    .filter(hook ->
                            hook.kind() == kind && !matched.contains(hook) && Objects.equals(hook.url(), value.url()))
                    .findFirst()
                    .or(() -> stored.stream()
                            .filter(hook -> hook.kind() == kind
                                    && !matched.contains(hook)
                                    && hook.displayUrl().equals(value.url()))
                            .findFirst())
                    .orElse(null);
            if (same != null) {
                matched.add(same);
            }
            String url = same != null ? same.url() : value.url();
            try {
                WebhookUrl.check(url, allowedHosts);
            } catch (IllegalArgumentException e) {
                throw new InvalidRule("webhooks", field + "." + e.getMessage());
            }
            Webhook webhook = new Webhook(url, kind, secret(field, value.secret(), same));
            if (found.stream()
                    .noneMatch(other -> other.kind() == kind && other.url().equals(url))) {
                found.add(webhook);
            }
        }
        return found;
    }

    private static Webhook.Kind kind(String field, String value) {
        List<String> kinds =
                Arrays.stream(Webhook.Kind.values()).map(Webhook.Kind::id).toList();
        if (!kinds.contains(value)) {
            throw new InvalidRule("webhooks", field + ".kind must be one of " + kinds);
        }
        return Webhook.Kind.ofId(value);
    }

    /** The secret to store: none, the stored one ({@code ***}), or the one given. Never part of a message. */
    private static String secret(String field, String value, Webhook same) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.equals(Webhook.HIDDEN_SECRET)) {
            if (same == null || same.secret() == null) {
                throw new InvalidRule(
                        "webhooks",
                        field + ".secret '" + Webhook.HIDDEN_SECRET + "' keeps the stored "
                                + "secret, but no stored webhook of this rule has this URL and a secret");
            }
            return same.secret();
        }
        if (value.length() > MAX_SECRET_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRule(
                    "webhooks",
                    field + ".secret must be at most " + MAX_SECRET_LENGTH + " characters, without control characters");
        }
        return value;
    }
}
