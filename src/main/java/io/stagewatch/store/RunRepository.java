package io.stagewatch.store;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stagewatch.notification.NotificationEvent;
import io.stagewatch.notification.Webhook;
import io.stagewatch.platform.WorkflowLink;
import io.stagewatch.run.FeedPosition;
import io.stagewatch.run.RiskChange;
import io.stagewatch.run.Run;
import io.stagewatch.run.RunAttributes;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Stage;
import io.stagewatch.run.Transition;
import io.stagewatch.run.Verdict;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Runs and their transitions. Each write is one statement, hence one transaction. */
@ApplicationScoped
public class RunRepository {

    /**
     * Records a transition, after a statement's {@code run} CTE (the run as it is now, no row when the run was not
     * written; only the columns read here, since each scan of the CTE carries every column it returns) and {@code change} CTE (the transition's from_status and source, the notification event or null, and
     * the channel of each webhook kind by its id): appends the transition; finds the notification rules matching the
     * run and its event; queues one outbox row per recipient of those rules and of the run's own, and one per webhook
     * of those rules, through the channel of its kind (a kind this release does not know is left to the release that
     * wrote it), in one INSERT (each INSERT of a statement pays for opening the table and its indexes, rows or none),
     * a row already queued (one per run, event and recipient or webhook) left as it is; and announces both at commit.
     * Returns a row when it recorded the transition. The webhook's body is rendered when it is sent, from the run and
     * this transition.
     */
    private static final String TRANSITION = """
            , transition AS (
                INSERT INTO transitions (run_uid, from_status, to_status, cause, reason, message, source)
                SELECT run.uid, change.from_status, run.status, run.cause, run.reason, run.message, change.source
                FROM run, change
                RETURNING id, run_uid)
            , matched AS (
                SELECT rule.recipients, rule.webhooks
                FROM run, change, notification_rules rule
                WHERE change.event IS NOT NULL
                  AND rule.stages @> ARRAY[run.stage] AND rule.events @> ARRAY[change.event]
                  AND COALESCE(run.pipeline, '') LIKE rule.pipeline_like ESCAPE '\\'
                  AND (rule.platforms IS NULL OR rule.platforms @> ARRAY[run.platform])
                  AND (rule.clusters IS NULL OR rule.clusters @> ARRAY[run.cluster]))
            , queued AS (
                INSERT INTO outbox (run_uid, transition_id, event, recipient, channel, url, secret)
                SELECT transition.run_uid, transition.id, change.event, recipients.recipient, 'email', NULL, NULL
                FROM transition, change, (SELECT unnest(recipients) FROM matched
                                          UNION
                                          SELECT unnest(notify) FROM run) AS recipients (recipient)
                WHERE change.event IS NOT NULL
                UNION ALL
                SELECT transition.run_uid, transition.id, change.event, NULL, kind.channel, hook.url, hook.secret
                FROM transition, change, matched,
                     jsonb_to_recordset(matched.webhooks) AS hook (url text, kind text, secret text),
                     jsonb_each_text(change.channels) AS kind (id, channel)
                WHERE kind.id = hook.kind
                ON CONFLICT DO NOTHING
                RETURNING 1)
            , wake AS (SELECT pg_notify('stagewatch_outbox', '') FROM (SELECT 1 FROM queued LIMIT 1) any_queued)
            , announce AS (SELECT pg_notify('stagewatch_transitions', '') FROM (SELECT 1 FROM transition) committed)
            SELECT (SELECT count(*) FROM wake) + (SELECT count(*) FROM announce) AS notified
            FROM transition""";

    /**
     * Creates the run unless another writer did, then records its first transition ({@link #TRANSITION}). The
     * {@code change} CTE is inlined (NOT MATERIALIZED), so that its values stay parameters to the planner: a transition
     * without an event reads no rule. The run's names follow the parameters of the run ({@link Rows#addNames}), then its
     * workflow's UID and its step ({@link Rows#addWorkflow}), null for a run without a workflow.
     */
    private static final String INSERT = """
            WITH run AS (
                INSERT INTO runs (uid, namespace, pod, stage, status, cause, reason, message, created_at, started_at,
                                  finished_at, updated_at, version, resource_version, notify, platform, node,
                                  workflow, pipeline, app, environment, cluster, workflow_uid, step)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now(), 1, $12, $13, $14, $18,
                        $19, $20, $21, $22, $23, $24, $25)
                ON CONFLICT (uid) DO NOTHING
                RETURNING uid, status, cause, reason, message, stage, pipeline, platform, cluster, notify)
            , change AS NOT MATERIALIZED (
                SELECT NULL::text AS from_status, $15::text AS source, $16::text AS event, $17::jsonb AS channels)
            """ + TRANSITION;

    /**
     * Moves the run only if its version is still the one the decision was made on, then records the transition
     * ({@link #TRANSITION}), as {@link #INSERT} does. A finished run is no longer at risk.
     */
    private static final String UPDATE = """
            WITH run AS (
                UPDATE runs SET status = $3, cause = $4, reason = $5, message = $6,
                                started_at = COALESCE(started_at, $7), finished_at = COALESCE(finished_at, $8),
                                updated_at = now(), version = version + 1,
                                resource_version = COALESCE($9, resource_version), notify = COALESCE($10, notify),
                                node = COALESCE($15, node),
                                at_risk = CASE WHEN $3 IN ('SUCCEEDED', 'FAILED') THEN NULL ELSE at_risk END
                WHERE uid = $1 AND version = $2
                RETURNING uid, status, cause, reason, message, stage, pipeline, platform, cluster, notify)
            , change AS NOT MATERIALIZED (
                SELECT $11::text AS from_status, $12::text AS source, $13::text AS event, $14::jsonb AS channels)
            """ + TRANSITION;

    /**
     * Sets why an unfinished run is at risk (null: it no longer is), and its node, with no transition and the version
     * untouched; announces the change, once however many replicas write the same, on {@code stagewatch_risks}.
     */
    private static final String AT_RISK = """
            WITH changed AS (
                UPDATE runs SET at_risk = $2, node = COALESCE($3, node)
                WHERE uid = $1 AND status IN ('PENDING', 'RUNNING') AND at_risk IS DISTINCT FROM $2
                RETURNING uid, namespace, pipeline, stage, status, node, at_risk)
            SELECT pg_notify('stagewatch_risks', json_build_object('uid', uid, 'namespace', namespace,
                             'pipeline', pipeline, 'stage', stage, 'status', status, 'node', node,
                             'atRisk', at_risk)::text)
            FROM changed""";

    /** The channel of each webhook kind, by the kind's id: what a transition statement's {@code change} names. */
    private static final JsonObject WEBHOOK_CHANNELS = webhookChannels();

    /** Runs newest first ({@link Rows#newestFirst}), through the index runs_newest. */
    private static final String LIST = Rows.newestFirst(Rows.RUN, "runs r");

    private final Pool pool;
    private final TransitionWriter writer;
    private final DatabaseEvents events;

    public RunRepository(Pool pool, TransitionWriter writer, DatabaseEvents events) {
        this.pool = pool;
        this.writer = writer;
        this.events = events;
    }

    /** The status and version of a run, or null when it has not been recorded. */
    public Uni<RunVersion> findVersion(String uid) {
        return pool.preparedQuery("SELECT stage, status, version, message FROM runs WHERE uid = $1")
                .execute(Tuple.of(uid))
                .map(rows -> Rows.first(rows, RunRepository::version));
    }

    /**
     * Records a run seen for the first time with its first transition.
     *
     * @param workflow the workflow the run is a step of, or null
     *
     * @return the commit, or null when another writer recorded the run first
     */
    public Uni<Committed> insert(
            RunAttributes run, WorkflowLink workflow, Verdict verdict, Source source, Instant now) {
        Tuple values = Tuple.tuple()
                .addString(run.uid())
                .addString(run.namespace())
                .addString(run.pod())
                .addString(run.stage().name())
                .addString(verdict.status().name())
                .addString(Rows.name(verdict.cause()))
                .addString(Rows.name(verdict.reason()))
                .addString(verdict.message())
                .addOffsetDateTime(Rows.utc(run.createdAt() != null ? run.createdAt() : now))
                .addOffsetDateTime(Rows.utc(startedAt(verdict, now)))
                .addOffsetDateTime(Rows.utc(finishedAt(verdict, now)))
                .addString(run.resourceVersion())
                .addArrayOfString(run.recipients().toArray(String[]::new))
                .addString(run.platform().id())
                .addString(source.name())
                .addString(event(verdict))
                .addJsonObject(WEBHOOK_CHANNELS)
                .addString(run.node());
        return writer.write(INSERT, Rows.addWorkflow(Rows.addNames(values, run.names()), workflow), 1);
    }

    /**
     * Records why a run still on its way waits (its message), with no transition and no notification, if the run is
     * still at {@code expected.version()} and not terminal.
     *
     * @return the run's new version, or null when another writer changed the run first
     */
    public Uni<Long> updateMessage(String uid, RunVersion expected, String message) {
        return pool.preparedQuery("""
                UPDATE runs SET message = $3, updated_at = now(), version = version + 1
                WHERE uid = $1 AND version = $2 AND status NOT IN ('SUCCEEDED', 'FAILED')
                RETURNING version""")
                .execute(Tuple.of(uid, expected.version(), message))
                .map(rows -> Rows.first(rows, row -> row.getLong("version")));
    }

    /**
     * Moves a run to the verdict's status if it is still at {@code expected.version()}.
     *
     * @param attributes the pod's latest attributes, or null when the run was judged without its pod
     *
     * @return the commit, or null when another writer changed the run first
     */
    public Uni<Committed> update(
            String uid, RunVersion expected, Verdict verdict, RunAttributes attributes, Source source, Instant now) {
        String resourceVersion = attributes == null ? null : attributes.resourceVersion();
        List<String> notify = attributes == null ? null : attributes.recipients();
        String node = attributes == null ? null : attributes.node();
        Tuple values = Tuple.tuple()
                .addString(uid)
                .addLong(expected.version())
                .addString(verdict.status().name())
                .addString(Rows.name(verdict.cause()))
                .addString(Rows.name(verdict.reason()))
                .addString(verdict.message())
                .addOffsetDateTime(Rows.utc(startedAt(verdict, now)))
                .addOffsetDateTime(Rows.utc(finishedAt(verdict, now)))
                .addString(resourceVersion)
                .addArrayOfString(notify == null ? null : notify.toArray(String[]::new))
                .addString(expected.status().name())
                .addString(source.name())
                .addString(event(verdict))
                .addJsonObject(WEBHOOK_CHANNELS)
                .addString(node);
        return writer.write(UPDATE, values, expected.version() + 1);
    }

    /**
     * Records why an unfinished run is at risk, or that it no longer is (null), and the node it runs on.
     *
     * @return true when this changed the run (false: it already said so, is finished, or is unknown)
     */
    public Uni<Boolean> markAtRisk(String uid, String node, String atRisk) {
        return pool.preparedQuery(AT_RISK).execute(Tuple.of(uid, atRisk, node)).map(rows -> rows.size() > 0);
    }

    /** Why each unfinished run at risk is, by its uid. */
    public Uni<Map<String, String>> atRisk() {
        return pool.preparedQuery("""
                SELECT uid, at_risk FROM runs WHERE at_risk IS NOT NULL AND status IN ('PENDING', 'RUNNING')""").execute().map(rows -> {
            Map<String, String> atRisk = new HashMap<>();
            rows.forEach(row -> atRisk.put(row.getString("uid"), row.getString("at_risk")));
            return atRisk;
        });
    }

    /** The changes of runs at risk, as {@link #markAtRisk} announces them, of every replica. */
    public Multi<RiskChange> riskChanges() {
        return events.risks().map(RunRepository::riskChange);
    }

    /** The run, or null. */
    public Uni<Run> find(String uid) {
        return pool.preparedQuery("SELECT " + Rows.RUN + " FROM runs r WHERE uid = $1")
                .execute(Tuple.of(uid))
                .map(rows -> Rows.first(rows, Rows::run));
    }

    /** Runs matching the filter, newest first, starting after the cursor (when given). */
    public Uni<List<Run>> list(RunFilter filter, RunCursor after, int limit) {
        Tuple values = Tuple.tuple()
                .addOffsetDateTime(after == null ? null : Rows.utc(after.createdAt()))
                .addString(after == null ? null : after.uid());
        Filters filters = new Filters(values)
                .equal("stage", Rows.name(filter.stage()))
                .equal("status", Rows.name(filter.status()))
                .equal("pipeline", filter.pipeline())
                .equal("namespace", filter.namespace())
                .equal("workflow", filter.workflow())
                .equal("platform", filter.platform())
                .equal("cluster", filter.cluster());
        String sql = LIST.formatted(filters.conditions(), filters.next());
        return pool.preparedQuery(sql).execute(values.addInteger(limit)).map(rows -> Rows.list(rows, Rows::run));
    }

    /** The transitions of a run, oldest first. */
    public Uni<List<Transition>> transitions(String uid) {
        return pool.preparedQuery("""
                SELECT id, run_uid, from_status, to_status, cause AS t_cause, reason AS t_reason, message AS t_message,
                       source, at
                FROM transitions
                WHERE run_uid = $1
                ORDER BY id""").execute(Tuple.of(uid)).map(rows -> Rows.list(rows, Rows::transition));
    }

    /** The last visible place in the feed: every transition up to it is committed, and none can appear before it. */
    public Uni<FeedPosition> lastFeedPosition() {
        return pool.query("""
                SELECT xid, id FROM transitions
                WHERE xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
                ORDER BY xid DESC, id DESC
                LIMIT 1""")
                .execute()
                .map(rows ->
                        Objects.requireNonNullElse(Rows.first(rows, RunRepository::feedPosition), FeedPosition.START));
    }

    /** The feed position of a transition id (the numeric SSE ids of earlier releases), or null when unknown. */
    public Uni<FeedPosition> feedPositionOf(long transitionId) {
        return pool.preparedQuery("SELECT xid, id FROM transitions WHERE id = $1")
                .execute(Tuple.of(transitionId))
                .map(rows -> Rows.first(rows, RunRepository::feedPosition));
    }

    /**
     * How long the oldest committed transition after {@code position} has waited to be published, in seconds; 0 when
     * none waits. A long transaction anywhere on the database holds the feed back.
     */
    public Uni<Double> feedLagSeconds(FeedPosition position) {
        return pool.preparedQuery("""
                SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(at)), 0)::float8 AS lag
                FROM transitions WHERE (xid, id) > ($1, $2)""")
                .execute(Tuple.of(position.xid(), position.id()))
                .map(rows -> Rows.first(rows, row -> row.getDouble("lag")));
    }

    /**
     * Deletes up to {@code limit} runs of {@code clusters} finished, and first seen, before {@code finishedBefore}, with
     * their transitions and notifications, oldest first (through the index runs_finished), except the runs of {@code
     * livePods} (a pod that still exists would be recorded, and notified, again; only the clusters whose pods were
     * listed can tell). A run first seen lately stays its full time, whenever its pod finished. Rows another instance is
     * deleting are skipped.
     *
     * @return how many runs were deleted
     */
    public Uni<Integer> deleteFinished(Instant finishedBefore, Set<String> livePods, Set<String> clusters, int limit) {
        return pool.preparedQuery("""
                WITH doomed AS (
                    SELECT uid FROM runs
                    WHERE finished_at < $1 AND first_seen_at < $1 AND status IN ('SUCCEEDED', 'FAILED')
                      AND NOT (uid = ANY($2)) AND cluster = ANY($4)
                    ORDER BY finished_at
                    LIMIT $3
                    FOR UPDATE SKIP LOCKED),
                notifications AS (DELETE FROM outbox WHERE run_uid IN (SELECT uid FROM doomed)),
                history AS (DELETE FROM transitions WHERE run_uid IN (SELECT uid FROM doomed))
                DELETE FROM runs WHERE uid IN (SELECT uid FROM doomed)""")
                .execute(Tuple.tuple()
                        .addOffsetDateTime(Rows.utc(finishedBefore))
                        .addArrayOfString(livePods.toArray(String[]::new))
                        .addInteger(limit)
                        .addArrayOfString(clusters.toArray(String[]::new)))
                .map(rows -> rows.rowCount());
    }

    /** Every run of these clusters that is not finished. */
    public Uni<List<ActiveRun>> active(Set<String> clusters) {
        return pool.preparedQuery("""
                SELECT uid, namespace, pod, status, first_seen_at, platform FROM runs
                WHERE status IN ('PENDING', 'RUNNING') AND cluster = ANY($1)""")
                .execute(Tuple.tuple().addArrayOfString(clusters.toArray(String[]::new)))
                .map(rows -> Rows.list(rows, RunRepository::activeRun));
    }

    private static JsonObject webhookChannels() {
        JsonObject channels = new JsonObject();
        for (Webhook.Kind kind : Webhook.Kind.values()) {
            channels.put(kind.id(), kind.channel());
        }
        return channels;
    }

    private static String event(Verdict verdict) {
        return NotificationEvent.of(verdict.status()).map(Enum::name).orElse(null);
    }

    private static Instant startedAt(Verdict verdict, Instant now) {
        if (verdict.startedAt() != null) {
            return verdict.startedAt();
        }
        return verdict.status() == RunStatus.RUNNING ? now : null;
    }

    private static Instant finishedAt(Verdict verdict, Instant now) {
        if (!verdict.status().isTerminal()) {
            return null;
        }
        return verdict.finishedAt() != null ? verdict.finishedAt() : now;
    }

    private static RunVersion version(Row row) {
        return new RunVersion(
                Stage.valueOf(row.getString("stage")),
                RunStatus.valueOf(row.getString("status")),
                row.getLong("version"),
                row.getString("message"));
    }

    private static RiskChange riskChange(String payload) {
        JsonObject change = new JsonObject(payload);
        return new RiskChange(
                change.getString("uid"),
                change.getString("namespace"),
                change.getString("pipeline"),
                Stage.valueOf(change.getString("stage")),
                RunStatus.valueOf(change.getString("status")),
                change.getString("node"),
                change.getString("atRisk"));
    }

    static FeedPosition feedPosition(Row row) {
        return new FeedPosition(row.getLong("xid"), row.getLong("id"));
    }

    private static ActiveRun activeRun(Row row) {
        return new ActiveRun(
                row.getString("uid"),
                row.getString("namespace"),
                row.getString("pod"),
                RunStatus.valueOf(row.getString("status")),
                row.getOffsetDateTime("first_seen_at").toInstant(),
                row.getString("platform"));
    }
}
