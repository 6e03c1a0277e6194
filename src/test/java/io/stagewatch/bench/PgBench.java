package io.stagewatch.bench;

import io.stagewatch.store.RunRepository;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgbench on the pipeline's own SQL. The script is generated from the statements {@link RunRepository} executes
 * (read from its constants, so it cannot drift from them): one pgbench transaction is the life of one pod, the INSERT
 * statement (PENDING) and two UPDATE statements (RUNNING, then SUCCEEDED, each a compare-and-set on version), each
 * statement its own transaction as in the application. Parameters the application binds to a value become pgbench
 * variables (sent as bind parameters with {@code -M prepared}, as the reactive client does); parameters the
 * application binds to null for these transitions become a literal {@code NULL}, since pgbench cannot bind null.
 */
final class PgBench {

    /** Statements (hence transitions) per pgbench transaction. */
    static final int STATEMENTS = 3;

    private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+)");
    private static final Pattern TPS = Pattern.compile("(?m)^tps = ([0-9.]+)");
    private static final Pattern LATENCY = Pattern.compile("(?m)^latency average = ([0-9.]+) ms");
    private static final Pattern PROCESSED = Pattern.compile("(?m)^number of transactions actually processed: (\\d+)");
    private static final Pattern FAILED = Pattern.compile("(?m)^number of failed transactions: (\\d+)");

    /**
     * What {@link RunRepository#insert} binds for a pod seen Pending, parameter by parameter: its identity, PENDING,
     * its creation time and resourceVersion, no notify recipients (an empty array), its platform, the source, no event
     * (PENDING has none), the webhook kinds' channels, no node yet, then its names (workflow, pipeline, no app, no
     * environment, the cluster). With
     * no notification rules stored, no outbox row is queued and no NOTIFY sent for the outbox, as in the application
     * run by the benchmark.
     */
    private static final List<String> INSERT_PENDING = List.of(
            ":uid",
            ":ns",
            ":uid",
            ":stage",
            ":pending",
            "NULL",
            "NULL",
            "NULL",
            ":ts",
            "NULL",
            "NULL",
            ":rv1",
            ":notify",
            ":platform",
            ":src",
            "NULL",
            ":channels",
            "NULL",
            ":uid",
            ":pipeline",
            "NULL",
            "NULL",
            "'default'",
            "NULL",
            "NULL");
    /** What {@link RunRepository#update} binds for PENDING (version 1) to RUNNING, event STARTED, on its node. */
    private static final List<String> UPDATE_RUNNING = List.of(
            ":uid",
            ":v1",
            ":running",
            "NULL",
            "NULL",
            "NULL",
            ":ts",
            "NULL",
            ":rv2",
            ":notify",
            ":pending",
            ":src",
            ":started",
            ":channels",
            ":node");
    /** What {@link RunRepository#update} binds for RUNNING (version 2) to SUCCEEDED, event SUCCEEDED. */
    private static final List<String> UPDATE_SUCCEEDED = List.of(
            ":uid",
            ":v2",
            ":succeeded",
            "NULL",
            "NULL",
            "NULL",
            ":ts",
            ":ts",
            ":rv3",
            ":notify",
            ":running",
            ":src",
            ":succeeded",
            ":channels",
            ":node");

    private static final Map<String, String> VARIABLES = new LinkedHashMap<>();

    static {
        VARIABLES.put("ns", "bench");
        VARIABLES.put("pipeline", "bench");
        VARIABLES.put("stage", "CI");
        VARIABLES.put("pending", "PENDING");
        VARIABLES.put("running", "RUNNING");
        VARIABLES.put("succeeded", "SUCCEEDED");
        VARIABLES.put("src", "RECONCILE");
        VARIABLES.put("ts", "2025-01-01T00:00:00Z");
        VARIABLES.put("rv1", "1");
        VARIABLES.put("rv2", "2");
        VARIABLES.put("rv3", "3");
        VARIABLES.put("notify", "{}");
        VARIABLES.put("started", "STARTED");
        VARIABLES.put("platform", "stagewatch");
        VARIABLES.put("node", "bench-node-1");
        VARIABLES.put("channels", constant("WEBHOOK_CHANNELS").toString());
    }

    record Result(
            int clients,
            int threads,
            int seconds,
            double tps,
            double latencyAverageMs,
            long transactions,
            long failed,
            List<String> command) {

        double transitionsPerSecond() {
            return tps * STATEMENTS;
        }
    }

    private PgBench() {}

    /** The pgbench script, with the application's SQL text. */
    static String script() {
        String insert = (String) constant("INSERT");
        String update = (String) constant("UPDATE");
        return """
                -- generated by io.stagewatch.bench.PgBench from io.stagewatch.store.RunRepository: one pod's life
                \\set uid random(1, 9000000000000000000)
                \\set v1 1
                \\set v2 2
                """
                + bind(insert, INSERT_PENDING) + ";\n"
                + bind(update, UPDATE_RUNNING) + ";\n"
                + bind(update, UPDATE_SUCCEEDED) + ";\n";
    }

    /** The pgbench executable: {@code -Dbench.pgbench}, else PostgreSQL 15's, else the one on the PATH. */
    static String executable() {
        String configured = System.getProperty("bench.pgbench");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path debian = Path.of("/usr/lib/postgresql/15/bin/pgbench");
        return Files.isExecutable(debian) ? debian.toString() : "pgbench";
    }

    static Result run(Path script, String database, int clients, int threads, int seconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                executable(),
                "-n",
                "-M",
                "prepared",
                "-c",
                Integer.toString(clients),
                "-j",
                Integer.toString(threads),
                "-T",
                Integer.toString(seconds),
                "-h",
                "127.0.0.1",
                "-p",
                "5432",
                "-U",
                "postgres",
                "-f",
                script.toString()));
        VARIABLES.forEach((name, value) -> command.addAll(List.of("-D", name + "=" + value)));
        command.add(database);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(seconds + 120L, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("pgbench failed: " + String.join(" ", command) + "\n" + output);
        }
        return new Result(
                clients,
                threads,
                seconds,
                number(TPS, output),
                number(LATENCY, output),
                (long) number(PROCESSED, output),
                FAILED.matcher(output).find() ? (long) number(FAILED, output) : 0,
                command);
    }

    private static double number(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("pgbench output has no " + pattern.pattern() + ":\n" + output);
        }
        return Double.parseDouble(matcher.group(1));
    }

    private static Object constant(String name) {
        try {
            Field field = RunRepository.class.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "RunRepository." + name + " is gone: update the benchmark's pgbench script", e);
        }
    }

    /** Replaces {@code $n} by the n-th binding; fails when the statement has another number of parameters. */
    private static String bind(String sql, List<String> bindings) {
        Matcher matcher = PARAMETER.matcher(sql);
        StringBuilder out = new StringBuilder();
        int highest = 0;
        while (matcher.find()) {
            int index = Integer.parseInt(matcher.group(1));
            if (index > bindings.size()) {
                throw new IllegalStateException("RunRepository's SQL has parameter $" + index
                        + " that the benchmark does not bind: update PgBench\n" + sql);
            }
            highest = Math.max(highest, index);
            matcher.appendReplacement(out, Matcher.quoteReplacement(bindings.get(index - 1)));
        }
        matcher.appendTail(out);
        if (highest != bindings.size()) {
            throw new IllegalStateException("RunRepository's SQL has " + highest + " parameters, the benchmark binds "
                    + bindings.size() + ": update PgBench\n" + sql);
        }
        return out.toString();
    }
}
