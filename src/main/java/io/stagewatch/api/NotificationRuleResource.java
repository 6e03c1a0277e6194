package io.stagewatch.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stagewatch.delivery.WebhookTargets;
import io.stagewatch.notification.NotificationRule;
import io.stagewatch.notification.RecipientPolicy;
import io.stagewatch.notification.RuleValidator;
import io.stagewatch.notification.Webhook;
import io.stagewatch.store.RuleRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Notification rules: who is told of which runs. */
@Path("/api/notification-rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class NotificationRuleResource {

    private static final String PATH = "/api/notification-rules/";

    private final RuleRepository rules;
    private final WebhookTargets targets;
    private final RecipientPolicy policy;

    public NotificationRuleResource(RuleRepository rules, WebhookTargets targets, RecipientPolicy policy) {
        this.rules = rules;
        this.targets = targets;
        this.policy = policy;
    }

    @RolesAllowed(ApiSecurity.VIEWER)
    @GET
    public Uni<List<RuleJson>> list() {
        return rules.list().map(list -> list.stream().map(RuleJson::of).toList());
    }

    @RolesAllowed(ApiSecurity.VIEWER)
    @GET
    @Path("/{id}")
    public Uni<RuleJson> get(@PathParam("id") String id) {
        return rules.find(id(id)).onItem().ifNull().failWith(() -> notFound(id)).map(RuleJson::of);
    }

    @RolesAllowed(ApiSecurity.ADMIN)
    @POST
    public Uni<RestResponse<RuleJson>> create(RuleJson body) {
        NotificationRule rule = validate(body, List.of());
        return reachable(rule)
                .flatMap(checked -> rules.create(checked))
                .map(RuleJson::of)
                .map(created -> RestResponse.ResponseBuilder.<RuleJson>created(URI.create(PATH + created.id()))
                        .entity(created)
                        .build());
    }

    @RolesAllowed(ApiSecurity.ADMIN)
    @PUT
    @Path("/{id}")
    public Uni<RuleJson> replace(@PathParam("id") String id, RuleJson body) {
        long key = id(id);
        if (body == null) {
            throw invalidBody("the body must be a JSON object describing the rule");
        }
        return rules.find(key)
                .onItem()
                .ifNull()
                .failWith(() -> notFound(id))
                .invoke(NotificationRuleResource::refuseFileRule)
                .map(stored -> validate(body, stored.webhooks()))
                .flatMap(this::reachable)
                .flatMap(rule -> rules.replace(key, rule))
                .onItem()
                .ifNull()
                .failWith(() -> notFound(id))
                .map(RuleJson::of);
    }

    @RolesAllowed(ApiSecurity.ADMIN)
    @DELETE
    @Path("/{id}")
    public Uni<Void> delete(@PathParam("id") String id) {
        long key = id(id);
        return rules.find(key)
                .onItem()
                .ifNull()
                .failWith(() -> notFound(id))
                .invoke(NotificationRuleResource::refuseFileRule)
                .flatMap(stored -> rules.delete(key))
                .flatMap(deleted ->
                        deleted ? Uni.createFrom().voidItem() : Uni.createFrom().failure(notFound(id)));
    }

    /** A body whose JSON is well formed but does not fit a rule: a field of the wrong type, or not an object. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        if (path.isEmpty() || path.get(0).getFieldName() == null) {
            return invalidBody("the body must be a JSON object").problem().toResponse();
        }
        return invalidField(path.get(0).getFieldName(), describe(path) + " must be " + expected(e.getTargetType()))
                .problem()
                .toResponse();
    }

    private NotificationRule validate(RuleJson body, List<Webhook> stored) {
        if (body == null) {
            throw invalidBody("the body must be a JSON object describing the rule");
        }
        if (body.webhooks() != null
                && body.webhooks().stream().anyMatch(hook -> hook != null && hook.secretEnv() != null)) {
            throw invalidField("webhooks", "secretEnv is for rules files; the API takes the secret itself");
        }
        try {
            return body.toRule(stored, targets.allowedHosts(), policy);
        } catch (RuleValidator.InvalidRule e) {
            throw invalidField(e.field(), e.getMessage());
        }
    }

    /** The rule, once every webhook's host resolves to addresses it may reach (a name that does not resolve passes). */
    private Uni<NotificationRule> reachable(NotificationRule rule) {
        if (rule.webhooks().isEmpty()) {
            return Uni.createFrom().item(rule);
        }
        return Multi.createFrom()
                .range(0, rule.webhooks().size())
                .onItem()
                .transformToUniAndConcatenate(i -> targets.refusal(
                                rule.webhooks().get(i).url())
                        .invoke(refusal -> {
                            if (refusal != null) {
                                throw invalidField("webhooks", "webhooks[" + i + "].url " + refusal);
                            }
                        }))
                .collect()
                .last()
                .replaceWith(rule);
    }

    /** A rule from a rules file changes with its file only. */
    private static void refuseFileRule(NotificationRule stored) {
        if (stored.fromFile()) {
            throw new ProblemException(
                    409,
                    "rule-from-file",
                    "Rule from a rules file",
                    "Rule " + stored.id() + " ('" + stored.name() + "') comes from the rules file " + stored.file()
                            + "; change it there");
        }
    }

    /** The id of a rule; one that is not a number names no rule. */
    private static long id(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw notFound(value);
        }
    }

    private static ProblemException notFound(String id) {
        return ProblemException.notFound("No notification rule with id " + id);
    }

    private static ProblemException invalidField(String field, String detail) {
        return new ProblemException(400, "invalid-field", "Invalid field '" + field + "'", detail);
    }

    private static ProblemException invalidBody(String detail) {
        return new ProblemException(400, "invalid-body", "Invalid request body", detail);
    }

    private static String describe(List<JsonMappingException.Reference> path) {
        StringBuilder text = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                text.append(text.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                text.append('[').append(reference.getIndex()).append(']');
            }
        }
        return text.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another JSON type";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        return "a valid " + type.getSimpleName();
    }
}
