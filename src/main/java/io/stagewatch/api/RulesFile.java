package io.stagewatch.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.stagewatch.notification.NotificationRule;
import io.stagewatch.notification.RecipientPolicy;
import io.stagewatch.notification.RuleValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A rules file read: YAML (or JSON, which YAML reads too) holding {@code {"rules": [...]}}, each rule as the API takes
 * it ({@link RuleJson}), each webhook's secret taken from the environment variable its {@code secretEnv} names.
 *
 * @param rules  the rules, validated as the API validates them, not yet stored
 * @param digest what they were made from: the file's bytes and the secrets read; the same file with another secret is
 *               another digest
 */
record RulesFile(List<NotificationRule> rules, String digest) {

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** A rules file that cannot be loaded: the line (1-based; 0 for none) and why. */
    static final class Invalid extends Exception {

        private final int line;

        Invalid(int line, String reason) {
            super(reason, null, false, false);
            this.line = line;
        }

        int line() {
            return line;
        }
    }

    /**
     * The rules of a file's content.
     *
     * @param file        the file's path, which the stored rules name
     * @param environment the value of an environment variable, or null when it is not set
     *
     * @throws Invalid at the first thing that is wrong: the syntax, a key, a rule the API would refuse, two rules of
     *                 one name, a secret written in the file, a {@code secretEnv} naming a variable that is not set
     */
    static RulesFile parse(
            String file,
            byte[] content,
            UnaryOperator<String> environment,
            Set<String> allowedHosts,
            RecipientPolicy policy)
            throws Invalid {
        MessageDigest digest = sha256();
        digest.update(content);
        List<NotificationRule> rules = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(content)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid(parser, "the file must hold a map with the key 'rules'");
            }
            boolean found = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                if (!"rules".equals(parser.currentName())) {
                    throw invalid(parser, "unknown key '" + parser.currentName() + "': the file holds 'rules' only");
                }
                found = true;
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    throw invalid(parser, "'rules' must be a list");
                }
                Set<String> names = new HashSet<>();
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    int line = parser.currentTokenLocation().getLineNr();
                    String where = "rules[" + rules.size() + "]";
                    RuleJson json = YAML.readValue(parser, RuleJson.class);
                    NotificationRule rule = rule(where, line, json, environment, digest, allowedHosts, policy);
                    if (!names.add(rule.name())) {
                        throw new Invalid(line, where + ": a second rule named '" + rule.name() + "'");
                    }
                    rules.add(rule.withFile(file));
                }
                if (parser.currentToken() != JsonToken.END_ARRAY) {
                    throw invalid(parser, "rules[" + rules.size() + "] must be a map");
                }
            }
            if (!found) {
                throw invalid(parser, "the file must hold a map with the key 'rules'");
            }
        } catch (UnrecognizedPropertyException e) {
            throw new Invalid(line(e.getLocation()), "unknown field '" + e.getPropertyName() + "'");
        } catch (JsonProcessingException e) {
            throw new Invalid(line(e.getLocation()), e.getOriginalMessage());
        } catch (IOException e) {
            throw new Invalid(0, e.getMessage());
        }
        return new RulesFile(rules, HexFormat.of().formatHex(digest.digest()));
    }

    private static NotificationRule rule(
            String where,
            int line,
            RuleJson json,
            UnaryOperator<String> environment,
            MessageDigest digest,
            Set<String> allowedHosts,
            RecipientPolicy policy)
            throws Invalid {
        List<WebhookJson> webhooks = null;
        if (json.webhooks() != null) {
            webhooks = new ArrayList<>();
            for (int i = 0; i < json.webhooks().size(); i++) {
                WebhookJson hook = json.webhooks().get(i);
                webhooks.add(hook == null ? null : withSecret(where + ".webhooks[" + i + "]", line, hook, environment));
                if (hook != null && hook.secretEnv() != null) {
                    digest.update(("\0" + environment.apply(hook.secretEnv())).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        try {
            return new RuleJson(
                            null,
                            json.name(),
                            json.pipeline(),
                            json.stages(),
                            json.events(),
                            json.recipients(),
                            webhooks,
                            null,
                            null,
                            json.platforms(),
                            json.clusters(),
                            null)
                    .toRule(List.of(), allowedHosts, policy);
        } catch (RuleValidator.InvalidRule e) {
            throw new Invalid(line, where + ": " + e.getMessage());
        }
    }

    /** The webhook with the secret its {@code secretEnv} names; a secret written in the file is refused. */
    private static WebhookJson withSecret(String where, int line, WebhookJson hook, UnaryOperator<String> environment)
            throws Invalid {
        if (hook.secret() != null) {
            throw new Invalid(
                    line,
                    where + ".secret: a rules file never holds a secret; name the environment variable that holds it "
                            + "in secretEnv");
        }
        if (hook.secretEnv() == null) {
            return hook;
        }
        String secret = environment.apply(hook.secretEnv());
        if (secret == null || secret.isEmpty()) {
            throw new Invalid(line, where + ".secretEnv: the environment variable " + hook.secretEnv() + " is not set");
        }
        return new WebhookJson(hook.url(), hook.kind(), secret, null);
    }

    private static Invalid invalid(JsonParser parser, String reason) {
        return new Invalid(line(parser.currentTokenLocation()), reason);
    }

    private static int line(JsonLocation location) {
        return location == null ? 0 : Math.max(location.getLineNr(), 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
