package io.stagewatch.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.stagewatch.notification.NotificationEvent;
import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.FeedEvent;
import io.stagewatch.run.Run;
import io.stagewatch.run.RunAttributes;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Stage;
import io.stagewatch.run.Transition;
import io.stagewatch.run.Verdict;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Runs and their transitions. Each write is one statement, hence one transaction. */
@ApplicationScoped
public class RunRepository {




    /** Creates the run unless another writer did, then records its first transition. */
    private static final String INSERT = """
            WITH run AS (
                INSERT INTO runs (uid, namespace, pod, workflow, pipeline, app, environment, stage, status, cause, reason,
                                  message, created_at, started_at, finished_at, updated_at, version, resource_version,
                                  notify)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now(), 1, $16, $18)
                ON CONFLICT (uid) DO NOTHING
                RETURNING uid, stage, pipeline, status, cause, reason, message, notify)
            """ + recordTransition("NULL", 17, 19);

    /** Moves the run only if its version is still the one the decision was made on, then records the transition. */
    private static final String UPDATE = """
            WITH run AS (
                UPDATE runs SET status = $3, cause = $4, reason = $5, message = $6,
                                started_at = COALESCE(started_at, $7), finished_at = COALESCE(finished_at, $8),
                                updated_at = now(), version = version + 1,
                                resource_version = COALESCE($9, resource_version), notify = COALESCE($12, notify)
                WHERE uid = $1 AND version = $2
                RETURNING uid, stage, pipeline, status, cause, reason, message, notify)
            """ + recordTransition("$10", 11, 13);

    /**
     * The rest of the statement after the run CTE: append the transition, queue one outbox row per recipient of its
     * event (the matching rules' and the run's own, resolved now), and announce both at commit.
     */
    private static String recordTransition(String from, int source, int event) {
        return """
                , transition AS (
                    INSERT INTO transitions (run_uid, from_status, to_status, cause, reason, message, source)
                    SELECT uid, %1$s, status, cause, reason, message, $%2$d FROM run
                    RETURNING id, run_uid)
                , mail AS (
                    INSERT INTO outbox (run_uid, transition_id, event, recipient)
                    SELECT transition.run_uid, transition.id, $%3$d, recipients.recipient
                    FROM transition, run, LATERAL (
                        SELECT unnest(rule.recipients) FROM notification_rules rule
                        WHERE rule.stages @> ARRAY[run.stage] AND rule.events @> ARRAY[$%3$d::text]
                          AND COALESCE(run.pipeline, '') LIKE rule.pipeline_like ESCAPE '\\'
                        UNION
                        SELECT unnest(run.notify)) AS recipients (recipient)
                    WHERE $%3$d::text IS NOT NULL
                    ON CONFLICT (run_uid, event, recipient) DO NOTHING
                    RETURNING 1)
                , wake AS (SELECT pg_notify('%4$s', '') FROM (SELECT 1 FROM mail LIMIT 1) queued)
                , announce AS (SELECT pg_notify('%5$s', '') FROM (SELECT 1 FROM transition) committed)
                SELECT id, (SELECT count(*) FROM wake) + (SELECT count(*) FROM announce) AS notified
                FROM transition""".formatted(from, source, event, DatabaseEvents.OUTBOX, DatabaseEvents.TRANSITIONS);
    }

    private final Pool pool;
    private final TransitionWriter writer;

    public RunRepository(Pool pool, TransitionWriter writer) {
        this.pool = pool;
        this.writer = writer;
    }

    /** The status and version of a run, or null when it has not been recorded. */
    public Uni<RunVersion> findVersion(String uid) {
        return pool.preparedQuery("SELECT stage, status, version FROM runs WHERE uid = $1")
                .execute(Tuple.of(uid))
                .map(rows -> rows.size() == 0 ? null : version(rows.iterator().next()));
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
                .addString(run.workflow())
                .addString(run.pipeline())
                .addString(run.app())
                .addString(run.environment())
                .addString(run.stage().name())
                .addString(verdict.status().name())
                .addString(name(verdict.cause()))
                .addString(name(verdict.reason()))
                .addString(verdict.message())
                .addOffsetDateTime(Rows.utc(run.createdAt() != null ? run.createdAt() : now))
                .addOffsetDateTime(Rows.utc(startedAt(verdict, now)))
                .addOffsetDateTime(Rows.utc(finishedAt(verdict, now)))
                .addString(run.resourceVersion())
                .addString(source.name())
                .addArrayOfString(run.recipients().toArray(String[]::new))
                .addString(event(verdict));
        return writer.write(INSERT, values, 1);
    }

    /**
     * Moves a run to the verdict's status if it is still at {@code expected.version()}.
     *
     * @param attributes the pod's latest attributes, or null when the run was judged without its pod
     *
     * @return the commit, or null when another writer changed the run first
     */
    public Uni<Committed> update(String uid, RunVersion expected, Verdict verdict, RunAttributes attributes,
            Source source, Instant now) {
        String resourceVersion = attributes == null ? null : attributes.resourceVersion();
        List<String> notify = attributes == null ? null : attributes.recipients();
        Tuple values = Tuple.tuple()
                .addString(uid)
                .addLong(expected.version())
                .addString(verdict.status().name())
                .addString(name(verdict.cause()))
                .addString(name(verdict.reason()))
                .addString(verdict.message())
                .addOffsetDateTime(Rows.utc(startedAt(verdict, now)))
                .addOffsetDateTime(Rows.utc(finishedAt(verdict, now)))
                .addString(resourceVersion)
                .addString(expected.status().name())
                .addString(source.name())
                .addArrayOfString(notify == null ? null : notify.toArray(String[]::new))
                .addString(event(verdict));
        return writer.write(UPDATE, values, expected.version() + 1);
    }

    /** The run, or null. */
    public Uni<Run> find(String uid) {
        return pool.preparedQuery("SELECT " + Rows.runColumns("runs") + " FROM runs WHERE uid = $1")
                .execute(Tuple.of(uid))
                .map(rows -> rows.size() == 0 ? null : Rows.run(rows.iterator().next()));
    }

    /** Runs matching the filter, newest first, starting after the cursor (when given). */
    public Uni<List<Run>> list(RunFilter filter, RunCursor after, int limit) {
        List<String> where = new ArrayList<>();
        Tuple values = Tuple.tuple();
        addFilter(where, values, "stage", filter.stage() == null ? null : filter.stage().name());
        addFilter(where, values, "status", filter.status() == null ? null : filter.status().name());
        addFilter(where, values, "pipeline", filter.pipeline());
        addFilter(where, values, "namespace", filter.namespace());
        addFilter(where, values, "workflow", filter.workflow());
        if (after != null) {
            values.addOffsetDateTime(Rows.utc(after.createdAt())).addString(after.uid());
            where.add("(created_at, uid) < ($" + (values.size() - 1) + ", $" + values.size() + ")");
        }
        values.addInteger(limit);
        String sql = "SELECT " + Rows.runColumns("runs") + " FROM runs"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY created_at DESC, uid DESC LIMIT $" + values.size();
        return pool.preparedQuery(sql).execute(values).map(RunRepository::runs);
    }

    /** The transitions of a run, oldest first. */
    public Uni<List<Transition>> transitions(String uid) {
        return pool.preparedQuery("""
                SELECT id, run_uid, from_status, to_status, cause, reason, message, source, at
                FROM transitions WHERE run_uid = $1 ORDER BY id""")
                .execute(Tuple.of(uid))
                .map(rows -> {
                    List<Transition> list = new ArrayList<>(rows.size());
                    rows.forEach(row -> list.add(transition(row)));
                    return list;
                });
    }

    /** The id of the newest transition, 0 when there is none. */
    public Uni<Long> lastTransitionId() {
        return pool.query("SELECT COALESCE(max(id), 0) AS last FROM transitions").execute()
                .map(rows -> rows.iterator().next().getLong("last"));
    }

    /**
     * Committed transitions with their runs, by id, from {@code afterId} (exclusive) to {@code upToId} (inclusive),
     * at most {@code limit}.
     */
    public Uni<List<FeedEvent>> feed(long afterId, long upToId, FeedFilter filter, int limit) {
        List<String> where = new ArrayList<>(List.of("t.id > $1", "t.id <= $2"));
        Tuple values = Tuple.of(afterId, upToId);
        addFilter(where, values, "r.stage", filter.stage() == null ? null : filter.stage().name());
        addFilter(where, values, "r.pipeline", filter.pipeline());
        addFilter(where, values, "r.namespace", filter.namespace());
        addFilter(where, values, "t.to_status", filter.status() == null ? null : filter.status().name());
        values.addInteger(limit);
        String sql = "SELECT t.id, t.run_uid, t.from_status, t.to_status, t.cause AS t_cause, t.reason AS t_reason, "
                + "t.message AS t_message, t.source, t.at, " + Rows.runColumns("r") + " FROM transitions t JOIN runs r ON r.uid = t.run_uid WHERE " + String.join(" AND ", where)
                + " ORDER BY t.id LIMIT $" + values.size();
        return pool.preparedQuery(sql).execute(values).map(rows -> {
            List<FeedEvent> list = new ArrayList<>(rows.size());
            rows.forEach(row -> list.add(new FeedEvent(new Transition(
                    row.getLong("id"),
                    row.getString("run_uid"),
                    Rows.enumOrNull(RunStatus.class, row.getString("from_status")),
                    RunStatus.valueOf(row.getString("to_status")),
                    Rows.enumOrNull(FailureCause.class, row.getString("t_cause")),
                    Rows.enumOrNull(FailureReason.class, row.getString("t_reason")),
                    row.getString("t_message"),
                    Source.valueOf(row.getString("source")),
                    Rows.instant(row.getOffsetDateTime("at"))), Rows.run(row))));
            return list;
        });
    }

    /** Every run that is not finished. */
    public Uni<List<ActiveRun>> active() {
        return pool.preparedQuery("""
                SELECT uid, namespace, pod, status, first_seen_at FROM runs
                WHERE status IN ('PENDING', 'RUNNING')""")
                .execute()
                .map(rows -> {
                    List<ActiveRun> list = new ArrayList<>(rows.size());
                    rows.forEach(row -> list.add(new ActiveRun(row.getString("uid"), row.getString("namespace"), row.getString("pod"),
                            RunStatus.valueOf(row.getString("status")),
                            row.getOffsetDateTime("first_seen_at").toInstant())));
                    return list;
                });
    }

    private static void addFilter(List<String> where, Tuple values, String column, String value) {
        if (value != null) {
            values.addString(value);
            where.add(column + " = $" + values.size());
        }
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

    private static List<Run> runs(RowSet<Row> rows) {
        List<Run> list = new ArrayList<>(rows.size());
        rows.forEach(row -> list.add(Rows.run(row)));
        return list;
    }

    private static RunVersion version(Row row) {
        return new RunVersion(Stage.valueOf(row.getString("stage")), RunStatus.valueOf(row.getString("status")),
                row.getLong("version"));
    }

    private static Transition transition(Row row) {
        return new Transition(
                row.getLong("id"),
                row.getString("run_uid"),
                Rows.enumOrNull(RunStatus.class, row.getString("from_status")),
                RunStatus.valueOf(row.getString("to_status")),
                Rows.enumOrNull(FailureCause.class, row.getString("cause")),
                Rows.enumOrNull(FailureReason.class, row.getString("reason")),
                row.getString("message"),
                Source.valueOf(row.getString("source")),
                Rows.instant(row.getOffsetDateTime("at")));
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

}
