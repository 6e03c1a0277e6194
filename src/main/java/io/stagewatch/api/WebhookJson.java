package io.stagewatch.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stagewatch.notification.RuleValidator;
import io.stagewatch.notification.Webhook;

/**
 * A webhook of a rule as the API takes and shows it: {@code kind} is the id of a {@link Webhook.Kind}; a read shows a
 * URL as its kind does (a Slack URL as its scheme and host), and {@code "***"} for a secret that is set (a PUT that
 * sends either back keeps the stored value). {@code secretEnv}, only in a rules file, names the environment variable
 * that holds the secret, which a file never holds itself.
 */
@RegisterForReflection
public record WebhookJson(
        String url,
        String kind,
        String secret,
        @JsonInclude(JsonInclude.Include.NON_NULL) String secretEnv) {

    static WebhookJson of(Webhook webhook) {
        return new WebhookJson(
                webhook.displayUrl(),
                webhook.kind().id(),
                webhook.secret() == null ? null : Webhook.HIDDEN_SECRET,
                null);
    }

    RuleValidator.WebhookFields fields() {
        return new RuleValidator.WebhookFields(url, kind, secret);
    }

    @Override
    public String toString() {
        return "WebhookJson[" + kind + "]";
    }
}
