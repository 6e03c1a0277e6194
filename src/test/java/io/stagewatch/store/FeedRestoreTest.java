package io.stagewatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stagewatch.run.FeedEpochs;
import io.stagewatch.run.FeedPosition;
import io.stagewatch.testing.Runs;
import io.stagewatch.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feed across a real logical dump and restore ({@code pg_dump}, {@code pg_restore} of PostgreSQL 15) into a fresh
 * database whose transaction ids are lower than the restored transitions' (played by transitions written with xids
 * far ahead, as a busier cluster gives them): the migration at start begins a new epoch, the restored transitions
 * keep their order below every new one, and a client holding any position made before the restore resumes with every
 * later transition once, or is told to reset when it saw more than the dump held. Plain JUnit over JDBC; the feed's
 * own reading of a restored database is the same SQL on these rows.
 */
class FeedRestoreTest {

    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final String SOURCE = "restore_from_" + TestDatabase.NAME;
    private static final String TARGET = "restore_to_" + TestDatabase.NAME;
    /** Beyond any xid the test cluster has reached: the source cluster was far ahead. */
    private static final long AHEAD = 1L << 40;

    @TempDir
    Path directory;

    @AfterEach
    void dropTheDatabases() throws SQLException {
        try (Connection admin = connect("postgres");
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + SOURCE + " WITH (FORCE)");
            statement.execute("DROP DATABASE IF EXISTS " + TARGET + " WITH (FORCE)");
        }
    }

    @Test
    void transitionsAfterARestoreReachAClientResumingFromAnyPositionMadeBeforeIt() throws Exception {
        create(SOURCE);
        create(TARGET);
        migrate(SOURCE);
        try (Connection source = connect(SOURCE)) {
            insertRun(source);
            insertTransitions(source, null, 2); // this cluster's own xids
            insertTransitions(source, AHEAD, 2); // a cluster ahead of the target
            insertTransitions(source, AHEAD + 7, 1);
        }
        List<FeedPosition> before = positions(SOURCE);
        List<Long> restoredIds = before.stream().map(FeedPosition::id).toList();
        dumpAndRestore();

        migrate(TARGET); // what every start does
        migrate(TARGET); // and the next start begins no other epoch
        FeedEpochs epochs = epochs(TARGET);
        assertEquals(1, epochs.current(), "a new epoch for the new database");
        FeedPosition last = before.get(before.size() - 1);
        assertEquals(new FeedEpochs.Epoch(1, AHEAD + 8, last), epochs.epochs().get(1));
        List<Long> newIds;
        try (Connection target = connect(TARGET)) {
            newIds = insertTransitions(target, null, 3);
        }
        List<FeedPosition> after = positions(TARGET);
        List<Long> expectedOrder = new ArrayList<>(restoredIds);
        expectedOrder.addAll(newIds);
        assertEquals(expectedOrder, after.stream().map(FeedPosition::id).toList(), "restored first, in their order");
        assertTrue(after.get(restoredIds.size() - 1).xid() < 0, "moved below every xid of this database");

        for (int i = 0; i < before.size(); i++) {
            Optional<FeedPosition> resumed = epochs.resume(before.get(i).encode());
            assertTrue(resumed.isPresent(), before.get(i).encode());
            assertEquals(
                    expectedOrder.subList(i + 1, expectedOrder.size()),
                    idsAfter(TARGET, resumed.get()),
                    "every later transition once, from " + before.get(i).encode());
        }
        FeedPosition notDumped = new FeedPosition(last.xid(), last.id() + 100);
        assertEquals(Optional.empty(), epochs.resume(notDumped.encode()), "a client that saw more is told to reset");
        FeedPosition now = after.get(after.size() - 2);
        assertEquals(
                List.of(newIds.get(2)),
                idsAfter(TARGET, epochs.resume(epochs.encode(now)).orElseThrow()));
    }

    @Test
    void aRestoreIntoAClusterAheadMovesNothingAndStillBeginsAnEpoch() throws Exception {
        create(SOURCE);
        create(TARGET);
        migrate(SOURCE);
        try (Connection source = connect(SOURCE)) {
            insertRun(source);
            insertTransitions(source, null, 2);
        }
        List<FeedPosition> before = positions(SOURCE);
        dumpAndRestore();
        migrate(TARGET);
        FeedEpochs epochs = epochs(TARGET);
        assertEquals(new FeedEpochs.Epoch(1, 0, before.get(1)), epochs.epochs().get(1));
        assertEquals(before, positions(TARGET), "unmoved");
        assertEquals(Optional.of(before.get(0)), epochs.resume(before.get(0).encode()));
    }

    /** pg_dump of the source database, pg_restore of it into the target one, as an operator does. */
    private void dumpAndRestore() throws IOException, InterruptedException {
        String dump = directory.resolve("stagewatch.dump").toString();
        run(BIN.resolve("pg_dump").toString(), "-h", "127.0.0.1", "-U", "postgres", "-Fc", "-f", dump, SOURCE);
        run(BIN.resolve("pg_restore").toString(), "-h", "127.0.0.1", "-U", "postgres", "-d", TARGET, dump);
    }

    private static void create(String database) throws SQLException {
        try (Connection admin = connect("postgres");
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        }
    }

    private static void migrate(String database) {
        Flyway.configure()
                .dataSource(url(database), "postgres", "")
                .locations("filesystem:src/main/resources/db/migration")
                .placeholders(Map.of("cluster", Runs.CLUSTER)) // as quarkus.flyway.placeholders.cluster sets it
                .load()
                .migrate();
    }

    private static void insertRun(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("""
                    INSERT INTO runs (uid, namespace, pod, workflow, stage, status, created_at, updated_at, version)
                    VALUES ('restored-run', 'ns', 'pod', 'wf', 'CI', 'RUNNING', now(), now(), 1)""");
        }
    }

    /** Inserts {@code count} transitions, each in a transaction of its own, with this xid (null: the default). */
    private static List<Long> insertTransitions(Connection connection, Long xid, int count) throws SQLException {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try (Statement statement = connection.createStatement();
                    ResultSet inserted = statement.executeQuery(
                            "INSERT INTO transitions (run_uid, to_status, source" + (xid == null ? "" : ", xid")
                                    + ") VALUES ('restored-run', 'RUNNING', 'WATCH'" + (xid == null ? "" : ", " + xid)
                                    + ") RETURNING id")) {
                inserted.next();
                ids.add(inserted.getLong(1));
            }
        }
        return ids;
    }

    /** Every transition's position, in feed order. */
    private static List<FeedPosition> positions(String database) throws SQLException {
        return query(
                database,
                "SELECT xid, id FROM transitions ORDER BY xid, id",
                rows -> new FeedPosition(rows.getLong("xid"), rows.getLong("id")));
    }

    /** The ids the feed gives after a position, as its query orders them. */
    private static List<Long> idsAfter(String database, FeedPosition position) throws SQLException {
        return query(
                database,
                "SELECT id FROM transitions WHERE (xid, id) > (" + position.xid() + ", " + position.id()
                        + ") AND xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint ORDER BY xid, id",
                rows -> rows.getLong("id"));
    }

    private static FeedEpochs epochs(String database) throws SQLException {
        return new FeedEpochs(query(
                database,
                "SELECT epoch, shift, restored_xid, restored_id FROM feed_epochs ORDER BY epoch",
                rows -> new FeedEpochs.Epoch(
                        rows.getInt("epoch"),
                        rows.getLong("shift"),
                        rows.getObject("restored_xid") == null
                                ? null
                                : new FeedPosition(rows.getLong("restored_xid"), rows.getLong("restored_id")))));
    }

    private interface RowMapper<T> {
        T map(ResultSet rows) throws SQLException;
    }

    private static <T> List<T> query(String database, String sql, RowMapper<T> mapper) throws SQLException {
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<T> found = new ArrayList<>();
            while (rows.next()) {
                found.add(mapper.map(rows));
            }
            return found;
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "finished: " + command[0]);
        assertEquals(0, process.exitValue(), command[0] + ": " + output);
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), "postgres", "");
    }

    private static String url(String database) {
        return "jdbc:postgresql://127.0.0.1:5432/" + database;
    }
}
