package io.stagewatch.store;

import io.smallrye.mutiny.Uni;
import io.stagewatch.notification.NotificationEvent;
import io.stagewatch.notification.NotificationRule;
import io.stagewatch.notification.Webhook;
import io.stagewatch.run.Platform;
import io.stagewatch.run.Stage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Notification rules. Each write through the API is one statement, and changes only rules made through the API; the
 * rules of a rules file are replaced all at once, per owner ({@link #replaceOwned}). The pipeline glob is stored with
 * its LIKE pattern, the webhooks as a JSON array of {@code {"url", "kind", "secret"}} that the transition statement
 * reads.
 */
@ApplicationScoped
public class RuleRepository {

    /** One rule of a file, by (owner, name): created, or changed with its update time only when it differs. */
    private static final String UPSERT_OWNED = """
            INSERT INTO notification_rules (name, pipeline, pipeline_like, stages, events, recipients, webhooks,
                                            platforms, clusters, owner, file)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (owner, name) WHERE owner IS NOT NULL DO UPDATE
            SET pipeline = EXCLUDED.pipeline, pipeline_like = EXCLUDED.pipeline_like, stages = EXCLUDED.stages,
                events = EXCLUDED.events, recipients = EXCLUDED.recipients, webhooks = EXCLUDED.webhooks,
                platforms = EXCLUDED.platforms, clusters = EXCLUDED.clusters, file = EXCLUDED.file, updated_at = now()
            WHERE (notification_rules.pipeline, notification_rules.stages, notification_rules.events,
                   notification_rules.recipients, notification_rules.webhooks, notification_rules.platforms,
                   notification_rules.clusters, notification_rules.file)
                  IS DISTINCT FROM (EXCLUDED.pipeline, EXCLUDED.stages, EXCLUDED.events, EXCLUDED.recipients,
                                    EXCLUDED.webhooks, EXCLUDED.platforms, EXCLUDED.clusters, EXCLUDED.file)""";

    private static final String REMEMBER_FILE = """
            INSERT INTO rule_files (owner, file, digest) VALUES ($1, $2, $3)
            ON CONFLICT (owner) DO UPDATE SET file = EXCLUDED.file, digest = EXCLUDED.digest, loaded_at = now()""";

    private static final String FORGET_FILE = "DELETE FROM rule_files WHERE owner = $1";

    private final Pool pool;

    public RuleRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores a new rule and returns it with its id and timestamps. */
    public Uni<NotificationRule> create(NotificationRule rule) {
        return pool.preparedQuery("""
                INSERT INTO notification_rules (name, pipeline, pipeline_like, stages, events, recipients, webhooks,
                                                platforms, clusters)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                RETURNING *""")
                .execute(values(Tuple.tuple(), rule))
                .map(rows -> Rows.first(rows, RuleRepository::from));
    }

    /** Every rule, oldest id first. */
    public Uni<List<NotificationRule>> list() {
        return pool.preparedQuery("SELECT * FROM notification_rules ORDER BY id")
                .execute()
                .map(rows -> Rows.list(rows, RuleRepository::from));
    }

    /** The rule, or null. */
    public Uni<NotificationRule> find(long id) {
        return pool.preparedQuery("SELECT * FROM notification_rules WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, RuleRepository::from));
    }

    /**
     * Replaces every field of the rule but its id and creation time; null when there is no such rule made through the
     * API.
     */
    public Uni<NotificationRule> replace(long id, NotificationRule rule) {
        return pool.preparedQuery("""
                UPDATE notification_rules
                SET name = $2, pipeline = $3, pipeline_like = $4, stages = $5, events = $6, recipients = $7,
                    webhooks = $8, platforms = $9, clusters = $10, updated_at = now()
                WHERE id = $1 AND owner IS NULL
                RETURNING *""")
                .execute(values(Tuple.tuple().addLong(id), rule))
                .map(rows -> Rows.first(rows, RuleRepository::from));
    }

    /** Deletes the rule; false when there was no such rule made through the API. */
    public Uni<Boolean> delete(long id) {
        return pool.preparedQuery("DELETE FROM notification_rules WHERE id = $1 AND owner IS NULL")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() > 0);
    }

    /**
     * Makes {@code rules} the rules of {@code owner}, from {@code file}, matched by name: a rule of the owner that
     * {@code rules} does not name is deleted, one it names is created or changed (its id and creation time kept, its
     * update time moved only when something changed). Rules made through the API and other owners' rules are left
     * alone. Under a lock per owner; nothing is written when {@code digest} is what the owner's rules were last
     * loaded from (another replica loaded them). A null {@code file}: the owner has no file, and no file rules.
     *
     * @return whether anything was written
     */
    public Uni<Boolean> replaceOwned(String owner, String file, String digest, List<NotificationRule> rules) {
        return pool.withTransaction(conn -> conn.preparedQuery(
                        "SELECT pg_advisory_xact_lock(hashtext('stagewatch.rules'), hashtext($1))")
                .execute(Tuple.of(owner))
                // a statement of its own: its snapshot is taken once the lock is held
                .flatMap(locked -> conn.preparedQuery("SELECT digest FROM rule_files WHERE owner = $1")
                        .execute(Tuple.of(owner)))
                .flatMap(found -> {
                    String loaded = Rows.first(found, row -> row.getString("digest"));
                    if (file == null ? loaded == null && rules.isEmpty() : digest.equals(loaded)) {
                        return Uni.createFrom().item(false);
                    }
                    return conn.preparedQuery(
                                    "DELETE FROM notification_rules WHERE owner = $1 AND NOT (name = ANY($2))")
                            .execute(Tuple.of(
                                    owner,
                                    rules.stream().map(NotificationRule::name).toArray(String[]::new)))
                            .flatMap(deleted -> rules.isEmpty()
                                    ? Uni.createFrom().voidItem()
                                    : conn.preparedQuery(UPSERT_OWNED)
                                            .executeBatch(rules.stream()
                                                    .map(rule -> values(Tuple.tuple(), rule)
                                                            .addString(owner)
                                                            .addString(file))
                                                    .toList())
                                            .replaceWithVoid())
                            .flatMap(upserted -> conn.preparedQuery(file == null ? FORGET_FILE : REMEMBER_FILE)
                                    .execute(file == null ? Tuple.of(owner) : Tuple.of(owner, file, digest)))
                            .replaceWith(true);
                }));
    }

    private static Tuple values(Tuple values, NotificationRule rule) {
        return values.addString(rule.name())
                .addString(rule.pipeline())
                .addString(rule.pipelineLike())
                .addArrayOfString(rule.stages().stream().map(Stage::name).toArray(String[]::new))
                .addArrayOfString(
                        rule.events().stream().map(NotificationEvent::name).toArray(String[]::new))
                .addArrayOfString(rule.recipients().toArray(String[]::new))
                .addJsonArray(new JsonArray(rule.webhooks().stream()
                        .map(hook -> new JsonObject()
                                .put("url", hook.url())
                                .put("kind", hook.kind().id())
                                .put("secret", hook.secret()))
                        .toList()))
                .addArrayOfString(
                        rule.platforms().isEmpty()
                                ? null
                                : rule.platforms().stream().map(Platform::id).toArray(String[]::new))
                .addArrayOfString(
                        rule.clusters().isEmpty() ? null : rule.clusters().toArray(String[]::new));
    }

    private static List<Webhook> webhooks(JsonArray stored) {
        return IntStream.range(0, stored.size())
                .mapToObj(stored::getJsonObject)
                .map(hook -> new Webhook(
                        hook.getString("url"), Webhook.Kind.ofId(hook.getString("kind")), hook.getString("secret")))
                .toList();
    }

    private static NotificationRule from(Row row) {
        return new NotificationRule(
                row.getLong("id"),
                row.getString("name"),
                row.getString("pipeline"),
                Arrays.stream(row.getArrayOfStrings("stages"))
                        .map(Stage::valueOf)
                        .toList(),
                Arrays.stream(row.getArrayOfStrings("events"))
                        .map(NotificationEvent::valueOf)
                        .toList(),
                List.of(row.getArrayOfStrings("recipients")),
                webhooks((JsonArray) row.getValue("webhooks")),
                row.getOffsetDateTime("created_at").toInstant(),
                row.getOffsetDateTime("updated_at").toInstant(),
                platforms(row.getArrayOfStrings("platforms")),
                row.getArrayOfStrings("clusters") == null ? List.of() : List.of(row.getArrayOfStrings("clusters")),
                row.getString("file"));
    }

    /** Stored ids; one this release does not know (a later one's) is left out rather than failing the read. */
    private static List<Platform> platforms(String[] ids) {
        return ids == null
                ? List.of()
                : Arrays.stream(ids).flatMap(id -> Platform.fromId(id).stream()).toList();
    }
}
