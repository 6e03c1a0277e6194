package io.stagewatch.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.Run;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Stage;
import io.vertx.mutiny.sqlclient.Row;

/** Mapping between rows and values shared by the repositories. */
final class Rows {

    private static final List<String> RUN_COLUMNS = List.of("uid", "namespace", "pod", "workflow", "pipeline", "app",
            "environment", "stage", "status", "cause", "reason", "message", "created_at", "started_at", "finished_at",
            "updated_at");

    /** The columns {@link #run(Row)} reads, for a SELECT list, each prefixed by the runs table's alias. */
    static String runColumns(String alias) {
        return RUN_COLUMNS.stream().map(column -> alias + "." + column).collect(Collectors.joining(", "));
    }

    private Rows() {
    }

    static Run run(Row row) {
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

    static <E extends Enum<E>> E enumOrNull(Class<E> type, String value) {
        return value == null ? null : Enum.valueOf(type, value);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
