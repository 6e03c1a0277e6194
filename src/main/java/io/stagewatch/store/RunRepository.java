package io.stagewatch.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
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

    private static final String RUN_COLUMNS = "uid, namespace, pod, workflow, pipeline, app, environment, stage, status, "
            + "cause, reason, message, created_at, started_at, finished_at, updated_at";

    /** Creates the run unless another writer did, and appends its first transition. */
    private static final String INSERT = """
            WITH run AS (
                INSERT INTO runs (uid, namespace, pod, workflow, pipeline, app, environment, stage, status, cause, reason,
                                  message, created_at, started_at, finished_at, updated_at, version, resource_version)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now(), 1, $16)
                ON CONFLICT (uid) DO NOTHING
                RETURNING uid, status, cause, reason, message)
            INSERT INTO transitions (run_uid, from_status, to_status, cause, reason, message, source)
            SELECT uid, NULL, status, cause, reason, message, $17 FROM run
            RETURNING id""";

    /** Moves the run only if its version is still the one the decision was made on, and appends the transition. */
    private static final String UPDATE = """
            WITH run AS (
                UPDATE runs SET status = $3, cause = $4, reason = $5, message = $6,
                                started_at = COALESCE(started_at, $7), finished_at = COALESCE(finished_at, $8),
                                updated_at = now(), version = version + 1,
                                resource_version = COALESCE($9, resource_version)
                WHERE uid = $1 AND version = $2
                RETURNING uid, status, cause, reason, message)
            INSERT INTO transitions (run_uid, from_status, to_status, cause, reason, message, source)
            SELECT uid, $10, status, cause, reason, message, $11 FROM run
            RETURNING id""";

    private final Pool pool;

    public RunRepository(Pool pool) {
        this.pool = pool;
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
                .addOffsetDateTime(utc(run.createdAt() != null ? run.createdAt() : now))
                .addOffsetDateTime(utc(startedAt(verdict, now)))
                .addOffsetDateTime(utc(finishedAt(verdict, now)))
                .addString(run.resourceVersion())
                .addString(source.name());
        return pool.preparedQuery(INSERT).execute(values).map(rows -> committed(rows, 1));
    }

    /**
     * Moves a run to the verdict's status if it is still at {@code expected.version()}.
     *
     * @return the commit, or null when another writer changed the run first
     */
    public Uni<Committed> update(String uid, RunVersion expected, Verdict verdict, String resourceVersion, Source source,
            Instant now) {
        Tuple values = Tuple.tuple()
                .addString(uid)
                .addLong(expected.version())
                .addString(verdict.status().name())
                .addString(name(verdict.cause()))
                .addString(name(verdict.reason()))
                .addString(verdict.message())
                .addOffsetDateTime(utc(startedAt(verdict, now)))
                .addOffsetDateTime(utc(finishedAt(verdict, now)))
                .addString(resourceVersion)
                .addString(expected.status().name())
                .addString(source.name());
        return pool.preparedQuery(UPDATE).execute(values).map(rows -> committed(rows, expected.version() + 1));
    }

    /** The run, or null. */
    public Uni<Run> find(String uid) {
        return pool.preparedQuery("SELECT " + RUN_COLUMNS + " FROM runs WHERE uid = $1")
                .execute(Tuple.of(uid))
                .map(rows -> rows.size() == 0 ? null : from(rows.iterator().next()));
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
            values.addOffsetDateTime(utc(after.createdAt())).addString(after.uid());
            where.add("(created_at, uid) < ($" + (values.size() - 1) + ", $" + values.size() + ")");
        }
        values.addInteger(limit);
        String sql = "SELECT " + RUN_COLUMNS + " FROM runs"
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

    private static Committed committed(RowSet<Row> rows, long version) {
        return rows.size() == 0 ? null : new Committed(version, rows.iterator().next().getLong("id"));
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
        rows.forEach(row -> list.add(from(row)));
        return list;
    }

    private static Run from(Row row) {
        return new Run(
                row.getString("uid"),
                row.getString("namespace"),
                row.getString("pod"),
                row.getString("workflow"),
                row.getString("pipeline"),
                row.getString("app"),
                row.getString("environment"),
                Stage.valueOf(row.getString("stage")),
                RunStatus.valueOf(row.getString("status")),
                enumOrNull(FailureCause.class, row.getString("cause")),
                enumOrNull(FailureReason.class, row.getString("reason")),
                row.getString("message"),
                instant(row.getOffsetDateTime("created_at")),
                instant(row.getOffsetDateTime("started_at")),
                instant(row.getOffsetDateTime("finished_at")),
                instant(row.getOffsetDateTime("updated_at")));
    }

    private static RunVersion version(Row row) {
        return new RunVersion(Stage.valueOf(row.getString("stage")), RunStatus.valueOf(row.getString("status")),
                row.getLong("version"));
    }

    private static Transition transition(Row row) {
        return new Transition(
                row.getLong("id"),
                row.getString("run_uid"),
                enumOrNull(RunStatus.class, row.getString("from_status")),
                RunStatus.valueOf(row.getString("to_status")),
                enumOrNull(FailureCause.class, row.getString("cause")),
                enumOrNull(FailureReason.class, row.getString("reason")),
                row.getString("message"),
                Source.valueOf(row.getString("source")),
                instant(row.getOffsetDateTime("at")));
    }

    private static <E extends Enum<E>> E enumOrNull(Class<E> type, String value) {
        return value == null ? null : Enum.valueOf(type, value);
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
