package io.stagewatch.store;

import io.smallrye.mutiny.Uni;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.notification.NotificationEvent;
import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.FeedEvent;
import io.stagewatch.run.FeedPosition;
import io.stagewatch.run.Run;
import io.stagewatch.run.RunAttributes;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Stage;
import io.stagewatch.run.Transition;
import io.stagewatch.run.Verdict;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Runs and their transitions. Each write is one statement, hence one transaction. */
@ApplicationScoped
public class RunRepository {

    /**
     * Creates the run unless another writer did, then records its first transition: appends it, queues one outbox
     * row per recipient of its event (the matching rules' and the run's own, resolved now) and one per webhook of the
     * matching rules ({@link #webhooks}), and announces both at commit. Returns a row when it recorded the transition.
     * The run's names are the last parameters ({@link Rows#addNames}), so that a new name is a new last parameter.
     */
    private static final String INSERT = """
            WITH run AS (
                INSERT INTO runs (uid, namespace, pod, stage, status, cause, reason, message, created_at, started_at,
                                  finished_at, updated_at, version, resource_version, notify, platform,
                                  workflow, pipeline, app, environment)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now(), 1, $12, $13, $17,
                        $18, $19, $20, $21)
                ON CONFLICT (uid) DO NOTHING
                RETURNING *)
            , transition AS (
                INSERT INTO transitions (run_uid, from_status, to_status, cause, reason, message, source)
                SELECT uid, NULL, status, cause, reason, message, $14 FROM run
                RETURNING id, run_uid)
            , mail AS (
                INSERT INTO outbox (run_uid, transition_id, event, recipient)
                SELECT transition.run_uid, transition.id, $15, recipients.recipient
                FROM transition, run, LATERAL (
                    SELECT unnest(rule.recipients) FROM notification_rules rule
                    WHERE rule.stages @> ARRAY[run.stage] AND rule.events @> ARRAY[$15::text]
                      AND COALESCE(run.pipeline, '') LIKE rule.pipeline_like ESCAPE '\\'
                      AND (rule.platforms IS NULL OR rule.platforms @> ARRAY[run.platform])
                    UNION
                    SELECT unnest(run.notify)) AS recipients (recipient)
                WHERE $15::text IS NOT NULL
                ON CONFLICT (run_uid, event, recipient) DO NOTHING
                RETURNING 1)
            """ + webhooks("$15", "$16") + """
            , wake AS (SELECT pg_notify('stagewatch_outbox', '') FROM (SELECT 1 FROM mail UNION ALL SELECT 1 FROM hook
                                                                         LIMIT 1) queued)
            , announce AS (SELECT pg_notify('stagewatch_transitions', '') FROM (SELECT 1 FROM transition) committed)
            SELECT (SELECT count(*) FROM wake) + (SELECT count(*) FROM announce) AS notified
            FROM transition""";

    /**
     * Moves the run only if its version is still the one the decision was made on, then records the transition as
     * {@link #INSERT} does. Returns a row when it recorded the transition.
     */
    private static final String UPDATE = """
            WITH run AS (
                UPDATE runs SET status = $3, cause = $4, reason = $5, message = $6,
                                started_at = COALESCE(started_at, $7), finished_at = COALESCE(finished_at, $8),
                                updated_at = now(), version = version + 1,
                                resource_version = COALESCE($9, resource_version), notify = COALESCE($10, notify)
                WHERE uid = $1 AND version = $2
                RETURNING *)
            , transition AS (
                INSERT INTO transitions (run_uid, from_status, to_status, cause, reason, message, source)
                SELECT uid, $11, status, cause, reason, message, $12 FROM run
                RETURNING id, run_uid)
            , mail AS (
                INSERT INTO outbox (run_uid, transition_id, event, recipient)
                SELECT transition.run_uid, transition.id, $13, recipients.recipient
                FROM transition, run, LATERAL (
                    SELECT unnest(rule.recipients) FROM notification_rules rule
                    WHERE rule.stages @> ARRAY[run.stage] AND rule.events @> ARRAY[$13::text]
                      AND COALESCE(run.pipeline, '') LIKE rule.pipeline_like ESCAPE '\\'
                      AND (rule.platforms IS NULL OR rule.platforms @> ARRAY[run.platform])
                    UNION
                    SELECT unnest(run.notify)) AS recipients (recipient)
                WHERE $13::text IS NOT NULL
                ON CONFLICT (run_uid, event, recipient) DO NOTHING
                RETURNING 1)
            """ + webhooks("$13", "$14") + """
            , wake AS (SELECT pg_notify('stagewatch_outbox', '') FROM (SELECT 1 FROM mail UNION ALL SELECT 1 FROM hook
                                                                         LIMIT 1) queued)
            , announce AS (SELECT pg_notify('stagewatch_transitions', '') FROM (SELECT 1 FROM transition) committed)
            SELECT (SELECT count(*) FROM wake) + (SELECT count(*) FROM announce) AS notified
            FROM transition""";

    /**
     * Runs newest first; a null filter matches any value. Without a cursor every run is before (infinity, ''): the
     * keyset condition stays, so that it remains an index condition in the statement's generic plan.
     */
    private static final String LIST = """
            SELECT * FROM runs
            WHERE ($1::text IS NULL OR stage = $1)
              AND ($2::text IS NULL OR status = $2)
              AND ($3::text IS NULL OR pipeline = $3)
              AND ($4::text IS NULL OR namespace = $4)
              AND ($5::text IS NULL OR workflow = $5)
              AND ($9::text IS NULL OR platform = $9)
              AND (created_at, uid) < (COALESCE($6::timestamptz, 'infinity'), COALESCE($7::text, ''))
            ORDER BY created_at DESC, uid DESC
            LIMIT $8""";

    /**
     * Transitions with their runs, by id. The run's cause, reason and message keep their names; the transition's are
     * prefixed {@code t_}, as in {@link #transitions(String)}.
     */
    /**
     * Transitions after position ($1, $2), up to ($3, $4), written by transactions older than every transaction still
     * running: no row can still appear before the last one read.
     */
    private static final String FEED = """
            SELECT t.xid, t.id, t.run_uid, t.from_status, t.to_status, t.cause AS t_cause, t.reason AS t_reason,
                   t.message AS t_message, t.source, t.at, r.*
            FROM transitions t JOIN runs r ON r.uid = t.run_uid
            WHERE (t.xid, t.id) > ($1, $2) AND (t.xid, t.id) <= ($3, $4)
              AND t.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
              AND ($5::text IS NULL OR r.stage = $5)
              AND ($6::text IS NULL OR r.pipeline = $6)
              AND ($7::text IS NULL OR r.namespace = $7)
              AND ($8::text IS NULL OR t.to_status = $8)
            ORDER BY t.xid, t.id
            LIMIT $9""";

    /**
     * The CTEs that queue one outbox row per webhook of every rule matching the run and its event (the parameter
     * {@code eventParameter}), with the JSON body rendered once, here, so that every attempt sends the same bytes; the
     * status page's base URL (the parameter {@code baseParameter}, null when unset) makes its link. Times are RFC 3339 in UTC. docs/notifications.md documents the body.
     */
    private static String webhooks(String eventParameter, String baseParameter) {
        return """
            , body AS (
                SELECT json_build_object(
                    'event', %1$s::text,
                    'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                    'run', json_build_object(
                        'uid', run.uid, 'namespace', run.namespace, 'pod', run.pod, 'workflow', run.workflow,
                        'pipeline', run.pipeline, 'app', run.app, 'environment', run.environment, 'stage', run.stage,
                        'platform', run.platform,
                        'status', run.status, 'cause', run.cause, 'reason', run.reason, 'message', run.message,
                        'createdAt', to_char(run.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                        'startedAt', to_char(run.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                        'finishedAt', to_char(run.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
                    'link', %2$s::text || '/runs/' || run.uid)::text AS body
                FROM run)
            , hook AS (
                INSERT INTO outbox (run_uid, transition_id, event, channel, url, secret, body)
                SELECT transition.run_uid, transition.id, %1$s, CASE hook.kind WHEN 'slack' THEN 'slack' ELSE 'webhook' END,
                       hook.url, hook.secret, body.body
                FROM transition, run, body, notification_rules rule,
                     jsonb_to_recordset(rule.webhooks) AS hook (url text, kind text, secret text)
                WHERE %1$s::text IS NOT NULL
                  AND rule.stages @> ARRAY[run.stage] AND rule.events @> ARRAY[%1$s::text]
                  AND COALESCE(run.pipeline, '') LIKE rule.pipeline_like ESCAPE '\\'
                  AND (rule.platforms IS NULL OR rule.platforms @> ARRAY[run.platform])
                ON CONFLICT (run_uid, event, channel, url) WHERE url IS NOT NULL DO NOTHING
                RETURNING 1)""".formatted(eventParameter, baseParameter);
    }

    private final Pool pool;
    private final TransitionWriter writer;
    /** The status page's base URL without trailing slashes, for the webhooks' links; null when unset. */
    private final String uiBase;

    public RunRepository(Pool pool, TransitionWriter writer, StagewatchConfig config) {
        this.pool = pool;
        this.writer = writer;
        this.uiBase =
                config.ui().baseUrl().map(base -> base.replaceAll("/+$", "")).orElse(null);
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
     * @return the commit, or null when another writer recorded the run first
     */
    public Uni<Committed> insert(RunAttributes run, Verdict verdict, Source source, Instant now) {
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
                .addString(source.name())
                .addString(event(verdict))
                .addString(uiBase)
                .addString(run.platform().id());
        return writer.write(INSERT, Rows.addNames(values, run.names()), 1);
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
                .addString(uiBase);
        return writer.write(UPDATE, values, expected.version() + 1);
    }

    /** The run, or null. */
    public Uni<Run> find(String uid) {
        return pool.preparedQuery("SELECT * FROM runs WHERE uid = $1")
                .execute(Tuple.of(uid))
                .map(rows -> Rows.first(rows, Rows::run));
    }

    /** Runs matching the filter, newest first, starting after the cursor (when given). */
    public Uni<List<Run>> list(RunFilter filter, RunCursor after, int limit) {
        Tuple values = Tuple.tuple()
                .addString(Rows.name(filter.stage()))
                .addString(Rows.name(filter.status()))
                .addString(filter.pipeline())
                .addString(filter.namespace())
                .addString(filter.workflow())
                .addOffsetDateTime(after == null ? null : Rows.utc(after.createdAt()))
                .addString(after == null ? null : after.uid())
                .addInteger(limit)
                .addString(filter.platform());
        return pool.preparedQuery(LIST).execute(values).map(rows -> Rows.list(rows, Rows::run));
    }

    /** The transitions of a run, oldest first. */
    public Uni<List<Transition>> transitions(String uid) {
        return pool.preparedQuery("""
                SELECT id, run_uid, from_status, to_status, cause AS t_cause, reason AS t_reason, message AS t_message,
                       source, at
                FROM transitions
                WHERE run_uid = $1
                ORDER BY id""").execute(Tuple.of(uid)).map(rows -> Rows.list(rows, RunRepository::transition));
    }

    /** The id of the newest transition, 0 when there is none. */
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

    public Uni<List<FeedEvent>> feed(FeedPosition after, FeedPosition upTo, FeedFilter filter, int limit) {
        Tuple values = Tuple.tuple()
                .addLong(after.xid())
                .addLong(after.id())
                .addLong(upTo.xid())
                .addLong(upTo.id())
                .addString(Rows.name(filter.stage()))
                .addString(filter.pipeline())
                .addString(filter.namespace())
                .addString(Rows.name(filter.status()))
                .addInteger(limit);
        return pool.preparedQuery(FEED)
                .execute(values)
                .map(rows -> Rows.list(rows, row -> new FeedEvent(transition(row), Rows.run(row), feedPosition(row))));
    }

    /**
     * Deletes up to {@code limit} runs finished before {@code finishedBefore}, with their transitions and notifications,
     * oldest first, except the runs of {@code livePods} (a pod that still exists would be recorded, and notified,
     * again). Rows another instance is deleting are skipped.
     *
     * @return how many runs were deleted
     */
    public Uni<Integer> deleteFinished(Instant finishedBefore, Set<String> livePods, int limit) {
        return pool.preparedQuery("""
                WITH doomed AS (
                    SELECT uid FROM runs
                    WHERE status IN ('SUCCEEDED', 'FAILED') AND updated_at < $1 AND NOT (uid = ANY($2))
                    ORDER BY updated_at
                    LIMIT $3
                    FOR UPDATE SKIP LOCKED),
                notifications AS (DELETE FROM outbox WHERE run_uid IN (SELECT uid FROM doomed)),
                history AS (DELETE FROM transitions WHERE run_uid IN (SELECT uid FROM doomed))
                DELETE FROM runs WHERE uid IN (SELECT uid FROM doomed)""")
                .execute(Tuple.tuple()
                        .addOffsetDateTime(Rows.utc(finishedBefore))
                        .addArrayOfString(livePods.toArray(String[]::new))
                        .addInteger(limit))
                .map(rows -> rows.rowCount());
    }

    /** Every run that is not finished. */
    public Uni<List<ActiveRun>> active() {
        return pool.preparedQuery("""
                SELECT uid, namespace, pod, status, first_seen_at, platform FROM runs
                WHERE status IN ('PENDING', 'RUNNING')""").execute().map(rows -> Rows.list(rows, RunRepository::activeRun));
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

    /** Reads the transition's cause, reason and message as t_cause, t_reason, t_message: see {@link #FEED}. */
    private static FeedPosition feedPosition(Row row) {
        return new FeedPosition(row.getLong("xid"), row.getLong("id"));
    }

    private static Transition transition(Row row) {
        return new Transition(
                row.getLong("id"),
                row.getString("run_uid"),
                Rows.enumOrNull(RunStatus.class, row.getString("from_status")),
                RunStatus.valueOf(row.getString("to_status")),
                Rows.enumOrNull(FailureCause.class, row.getString("t_cause")),
                Rows.enumOrNull(FailureReason.class, row.getString("t_reason")),
                row.getString("t_message"),
                Source.valueOf(row.getString("source")),
                Rows.instant(row.getOffsetDateTime("at")));
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
