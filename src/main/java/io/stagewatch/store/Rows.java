package io.stagewatch.store;

import io.stagewatch.platform.WorkflowLink;
import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.Run;
import io.stagewatch.run.RunNames;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Stage;
import io.stagewatch.run.Transition;
import io.stagewatch.workflow.Step;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Mapping between rows and values shared by the repositories. Statements that read runs select {@link #RUN}, the
 * columns {@link #run} maps, listed beside it, so that a new column needs the migration, the record and its mapper
 * here, and no statement but the one that writes it. A run's names are written by {@link #addNames} and read by
 * {@link #names}, nowhere else.
 */
final class Rows {

    /**
     * The columns of the runs table that {@link #run} reads, of the runs table named {@code r}. Not {@code r.*}: the
     * run's notify recipients, which no reader needs, would come with every row (a claim of 200 outbox rows of one run
     * decoded its recipients 200 times: with many recipients, half the outbox's time).
     */
    static final String RUN = "r.uid, r.namespace, r.pod, r.workflow, r.pipeline, r.app, r.environment, r.cluster,"
            + " r.stage, r.platform, r.status, r.cause, r.reason, r.message, r.created_at, r.started_at, r.finished_at,"
            + " r.updated_at, r.node, r.at_risk, r.workflow_uid";

    private Rows() {}

    /**
     * The rows of {@code table} newest first, matching the {@link Filters} in {@code %1$s}, before the cursor ($1, $2),
     * the limit's parameter number in {@code %2$s}: without a cursor every row is before (infinity, ''), so that the
     * keyset condition stays and the index on (created_at DESC, uid DESC) is read in order.
     */
    static String newestFirst(String columns, String table) {
        return "SELECT " + columns + " FROM " + table + """

                WHERE (created_at, uid) < (COALESCE($1::timestamptz, 'infinity'), COALESCE($2::text, ''))%1$s
                ORDER BY created_at DESC, uid DESC
                LIMIT $%2$d""";
    }

    /** Every row, mapped, in order. */
    static <T> List<T> list(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> list = new ArrayList<>(rows.size());
        rows.forEach(row -> list.add(mapper.apply(row)));
        return list;
    }

    /** The first row, mapped, or null when there is none. */
    static <T> T first(RowSet<Row> rows, Function<Row, T> mapper) {
        return rows.size() == 0 ? null : mapper.apply(rows.iterator().next());
    }

    /** A run from the columns of the runs table; a statement that joins another table keeps these names for the run. */
    static Run run(Row row) {
        return new Run(
                row.getString("uid"),
                row.getString("namespace"),
                row.getString("pod"),
                names(row),
                Stage.valueOf(row.getString("stage")),
                row.getString("platform"),
                RunStatus.valueOf(row.getString("status")),
                enumOrNull(FailureCause.class, row.getString("cause")),
                enumOrNull(FailureReason.class, row.getString("reason")),
                row.getString("message"),
                instant(row.getOffsetDateTime("created_at")),
                instant(row.getOffsetDateTime("started_at")),
                instant(row.getOffsetDateTime("finished_at")),
                instant(row.getOffsetDateTime("updated_at")),
                row.getString("node"),
                row.getString("at_risk"),
                row.getString("workflow_uid"));
    }

    /** A run's names from the columns of the runs table, each named as its component of {@link RunNames}. */
    static RunNames names(Row row) {
        return new RunNames(
                row.getString("workflow"),
                row.getString("pipeline"),
                row.getString("app"),
                row.getString("environment"),
                row.getString("cluster"));
    }

    /** {@code values} with a run's names added in the order of {@link RunNames}' components, as the last parameters. */
    static Tuple addNames(Tuple values, RunNames names) {
        return values.addString(names.workflow())
                .addString(names.pipeline())
                .addString(names.app())
                .addString(names.environment())
                .addString(names.cluster());
    }

    /** {@code values} with a run's workflow UID and step added (both null without a workflow), after its names. */
    static Tuple addWorkflow(Tuple values, WorkflowLink workflow) {
        if (workflow == null) {
            return values.addString(null).addJsonObject(null);
        }
        Step step = workflow.step();
        return values.addString(workflow.uid())
                .addJsonObject(new JsonObject()
                        .put("key", step.key())
                        .put("name", step.name())
                        .put("attempt", step.attempt())
                        .put("platformKey", step.platformKey()));
    }

    /** A step as {@link #addWorkflow} wrote it, or null. */
    static Step step(JsonObject step) {
        return step == null
                ? null
                : new Step(
                        step.getString("key"),
                        step.getString("name"),
                        step.getInteger("attempt", 0),
                        step.getString("platformKey"));
    }

    /**
     * A transition from the columns of the transitions table, its cause, reason and message named {@code t_cause},
     * {@code t_reason} and {@code t_message}: a statement that joins the runs table keeps the plain names for the run's.
     */
    static Transition transition(Row row) {
        return new Transition(
                row.getLong("id"),
                row.getString("run_uid"),
                enumOrNull(RunStatus.class, row.getString("from_status")),
                RunStatus.valueOf(row.getString("to_status")),
                enumOrNull(FailureCause.class, row.getString("t_cause")),
                enumOrNull(FailureReason.class, row.getString("t_reason")),
                row.getString("t_message"),
                Source.valueOf(row.getString("source")),
                instant(row.getOffsetDateTime("at")));
    }

    static <E extends Enum<E>> E enumOrNull(Class<E> type, String value) {
        return value == null ? null : Enum.valueOf(type, value);
    }

    static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
