package io.stagewatch.store;

import io.smallrye.mutiny.Uni;
import io.stagewatch.platform.WorkflowLink;
import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.RunAttributes;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Stage;
import io.stagewatch.workflow.Workflow;
import io.stagewatch.workflow.WorkflowRun;
import io.stagewatch.workflow.WorkflowVerdict;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Workflows, their verdicts and their transitions, which share the runs' transitions table (and so the feed's order).
 * Each write is one statement: a verdict is a compare-and-set on the version with its transition, as a run's is.
 */
@ApplicationScoped
public class WorkflowRepository {

    /** The columns {@link #workflow} reads, of the workflows table named {@code w}. */
    static final String WORKFLOW = "w.uid, w.cluster, w.platform, w.kind, w.namespace, w.name, w.pipeline,"
            + " w.stage, w.status, w.cause, w.reason, w.message, w.platform_status, w.contradiction,"
            + " w.infrastructure_retries, w.created_at, w.started_at, w.finished_at, w.updated_at";

    /** Appends the transition of the statement's {@code w} CTE when its status changed, and announces it at commit. */
    private static final String TRANSITION = """
            , transition AS (
                INSERT INTO transitions (workflow_uid, from_status, to_status, cause, reason, message, source)
                SELECT w.uid, change.from_status, w.status, w.cause, w.reason, w.message, change.source
                FROM w, change
                WHERE w.status IS DISTINCT FROM change.from_status
                RETURNING id)
            , announce AS (SELECT pg_notify('stagewatch_transitions', '') FROM transition)
            SELECT w.version, (SELECT count(*) FROM announce) AS notified FROM w""";

    /** Records a workflow seen for the first time, PENDING, with its first transition; nothing when it exists. */
    private static final String INSERT = """
            WITH w AS (
                INSERT INTO workflows (uid, cluster, platform, kind, namespace, name, pipeline, stage, status)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'PENDING')
                ON CONFLICT (uid) DO NOTHING
                RETURNING *)
            , change AS (SELECT NULL::text AS from_status, $9::text AS source)
            """ + TRANSITION;

    /**
     * Moves the workflow to the verdict if it is still at the version it was judged on and not terminal (a final
     * verdict never changes), with a transition when the status changed.
     */
    private static final String UPDATE = """
            WITH w AS (
                UPDATE workflows SET status = $3, cause = $4, reason = $5, message = $6, platform_status = $7,
                                     contradiction = $8, infrastructure_retries = $9,
                                     started_at = COALESCE(started_at, $10), finished_at = COALESCE(finished_at, $11),
                                     updated_at = now(), version = version + 1
                WHERE uid = $1 AND version = $2 AND status NOT IN ('SUCCEEDED', 'FAILED')
                RETURNING *)
            , change AS (SELECT $12::text AS from_status, $13::text AS source)
            """ + TRANSITION;

    /** Workflows newest first ({@link Rows#newestFirst}). */
    private static final String LIST = Rows.newestFirst(WORKFLOW, "workflows w");

    private final Pool pool;

    public WorkflowRepository(Pool pool) {
        this.pool = pool;
    }

    /** A recorded workflow and the version a compare-and-set must name to change it. */
    public record Versioned(Workflow workflow, long version) {}

    /** Records the workflow of a run, PENDING, unless it is recorded already. */
    public Uni<Void> insert(WorkflowLink link, RunAttributes run, String pipeline, Source source) {
        return pool.preparedQuery(INSERT)
                .execute(Tuple.tuple()
                        .addString(link.uid())
                        .addString(run.names().cluster())
                        .addString(run.platform().id())
                        .addString(link.kind().kind())
                        .addString(link.namespace())
                        .addString(link.name())
                        .addString(pipeline)
                        .addString(run.stage().name())
                        .addString(source.name()))
                .replaceWithVoid();
    }

    /** The workflow with its version, or null. */
    public Uni<Versioned> find(String uid) {
        return pool.preparedQuery("SELECT " + WORKFLOW + ", w.version FROM workflows w WHERE uid = $1")
                .execute(Tuple.of(uid))
                .map(rows -> Rows.first(rows, row -> new Versioned(workflow(row), row.getLong("version"))));
    }

    /** The UID of the workflow of a run, or null. */
    public Uni<String> ofRun(String runUid) {
        return pool.preparedQuery("SELECT workflow_uid FROM runs WHERE uid = $1")
                .execute(Tuple.of(runUid))
                .map(rows -> Rows.first(rows, row -> row.getString("workflow_uid")));
    }

    /** The runs of the workflow, oldest first. */
    public Uni<List<WorkflowRun>> runs(String uid) {
        return pool.preparedQuery("""
                SELECT uid, pod, step, status, reason, first_seen_at, finished_at FROM runs
                WHERE workflow_uid = $1
                ORDER BY first_seen_at, uid""").execute(Tuple.of(uid)).map(rows -> Rows.list(rows, WorkflowRepository::run));
    }

    /**
     * Moves the workflow to the verdict if it is still at {@code expected}'s version.
     *
     * @return false when another writer changed it first, or it is final
     */
    public Uni<Boolean> update(
            Versioned expected, WorkflowVerdict verdict, Instant startedAt, Instant finishedAt, Source source) {
        return pool.preparedQuery(UPDATE)
                .execute(Tuple.tuple()
                        .addString(expected.workflow().uid())
                        .addLong(expected.version())
                        .addString(verdict.status().name())
                        .addString(Rows.name(verdict.cause()))
                        .addString(Rows.name(verdict.reason()))
                        .addString(verdict.message())
                        .addString(verdict.platformStatus())
                        .addBoolean(verdict.contradiction())
                        .addInteger(verdict.infrastructureRetries())
                        .addOffsetDateTime(Rows.utc(startedAt))
                        .addOffsetDateTime(Rows.utc(finishedAt))
                        .addString(expected.workflow().status().name())
                        .addString(source.name()))
                .map(rows -> rows.size() > 0);
    }

    /** The UIDs of the workflows of these clusters that are not final. */
    public Uni<List<String>> open(Set<String> clusters) {
        return pool.preparedQuery("""
                SELECT uid FROM workflows WHERE status IN ('PENDING', 'RUNNING') AND cluster = ANY($1)""")
                .execute(Tuple.tuple().addArrayOfString(clusters.toArray(String[]::new)))
                .map(rows -> Rows.list(rows, row -> row.getString("uid")));
    }

    /** Workflows matching the filter, newest first, starting after the cursor (when given). */
    public Uni<List<Workflow>> list(WorkflowFilter filter, RunCursor after, int limit) {
        Tuple values = Tuple.tuple()
                .addOffsetDateTime(after == null ? null : Rows.utc(after.createdAt()))
                .addString(after == null ? null : after.uid());
        Filters filters = new Filters(values)
                .equal("platform", filter.platform())
                .equal("status", Rows.name(filter.status()))
                .equal("pipeline", filter.pipeline())
                .equal("namespace", filter.namespace())
                .equal(
                        "contradiction::text",
                        filter.contradiction() == null
                                ? null
                                : filter.contradiction().toString())
                .equal("cluster", filter.cluster());
        String sql = LIST.formatted(filters.conditions(), filters.next());
        return pool.preparedQuery(sql)
                .execute(values.addInteger(limit))
                .map(rows -> Rows.list(rows, WorkflowRepository::workflow));
    }

    private static Workflow workflow(Row row) {
        return workflow(row, "");
    }

    /** The workflow of a row whose workflow columns ({@link #WORKFLOW}) are named with {@code prefix} before them. */
    static Workflow workflow(Row row, String prefix) {
        return new Workflow(
                row.getString(prefix + "uid"),
                row.getString(prefix + "cluster"),
                row.getString(prefix + "platform"),
                row.getString(prefix + "kind"),
                row.getString(prefix + "namespace"),
                row.getString(prefix + "name"),
                row.getString(prefix + "pipeline"),
                Stage.valueOf(row.getString(prefix + "stage")),
                RunStatus.valueOf(row.getString(prefix + "status")),
                Rows.enumOrNull(FailureCause.class, row.getString(prefix + "cause")),
                Rows.enumOrNull(FailureReason.class, row.getString(prefix + "reason")),
                row.getString(prefix + "message"),
                row.getString(prefix + "platform_status"),
                row.getBoolean(prefix + "contradiction"),
                row.getInteger(prefix + "infrastructure_retries"),
                Rows.instant(row.getOffsetDateTime(prefix + "created_at")),
                Rows.instant(row.getOffsetDateTime(prefix + "started_at")),
                Rows.instant(row.getOffsetDateTime(prefix + "finished_at")),
                Rows.instant(row.getOffsetDateTime(prefix + "updated_at")));
    }

    private static WorkflowRun run(Row row) {
        return new WorkflowRun(
                row.getString("uid"),
                row.getString("pod"),
                Rows.step(row.getJsonObject("step")),
                RunStatus.valueOf(row.getString("status")),
                Rows.enumOrNull(FailureReason.class, row.getString("reason")),
                Rows.instant(row.getOffsetDateTime("first_seen_at")),
                Rows.instant(row.getOffsetDateTime("finished_at")));
    }
}
