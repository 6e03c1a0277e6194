package io.stagewatch.bench;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The application as the ingest benchmark runs it: its own database (so a concurrent {@code make test}, which cleans
 * database {@code test} at start, cannot disturb it) and no scheduled reconcile pass. The reconcile loop would LIST
 * the empty mock API server, fail every unfinished synthetic run as POD_VANISHED and empty the pipeline's cache of
 * known runs every two seconds: neither is part of what is measured.
 */
public class BenchProfile implements QuarkusTestProfile {

    /** The database the benchmark uses; {@code -Dbench.db=...} overrides it. It must exist (make bench creates it). */
    static String database() {
        return System.getProperty("bench.db", "stagewatch_bench");
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        String db = database();
        String jdbc = "jdbc:postgresql://127.0.0.1:5432/" + db;
        String reactive = "postgresql://127.0.0.1:5432/" + db;
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbc,
                "%test.quarkus.datasource.jdbc.url", jdbc,
                "quarkus.datasource.reactive.url", reactive,
                "%test.quarkus.datasource.reactive.url", reactive,
                "quarkus.scheduler.enabled", "false");
    }

    @Override
    public String getConfigProfile() {
        return "test";
    }
}
