package io.stagewatch.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code target/bench/profiles.json}: the no-op rate with the default profile alone ({@link IngestBenchmark}) next to
 * the rate with every profile enabled ({@link ProfilesBenchmark}), and their ratio against the target of issue 10.
 *
 * <p>
 * The two are measured in two applications (one Quarkus test profile each) in whichever order JUnit runs them, so
 * each adds its side to the file. A side already in the file is kept only when this JVM wrote it: surefire runs
 * every benchmark of one {@code make bench} in one JVM, so a ratio never sets a rate against one from another run.
 */
final class ProfilesReport {

    static final String ONE_PROFILE = "one_profile";
    static final String ALL_PROFILES = "all_profiles";
    private static final double TARGET_RATIO = 0.8;
    private static final Path FILE = Path.of("target", "bench", "profiles.json");
    private static final Logger LOG = Logger.getLogger(ProfilesReport.class);

    private ProfilesReport() {}

    /** Adds one side, measured with {@code profiles} enabled, and writes the file again. */
    static void add(String side, String profiles, BusBenchmark.Phase noop, String loadAtStart, String loadAtEnd)
            throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String run = ProcessHandle.current().pid() + " started "
                + Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        Map<String, Object> sides = new LinkedHashMap<>();
        if (Files.exists(FILE)) {
            Map<String, Object> before = json.readValue(FILE.toFile(), new TypeReference<Map<String, Object>>() {});
            if (run.equals(before.get("jvm"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> measured = (Map<String, Object>) before.get("runs");
                sides.putAll(measured);
            }
        }
        Map<String, Object> measurement = new LinkedHashMap<>();
        measurement.put("profiles", profiles);
        measurement.put("noop_observations_per_second", BusBenchmark.round(noop.ratePerSecond()));
        measurement.put("observations", noop.items());
        measurement.put("superseded", noop.superseded());
        measurement.put("seconds", BusBenchmark.round3(noop.seconds()));
        measurement.put("gc", noop.gcReport());
        measurement.put("cpu", noop.cpu());
        measurement.put("load_average_at_start", loadAtStart);
        measurement.put("load_average_at_end", loadAtEnd);
        sides.put(side, measurement);

        Files.createDirectories(FILE.getParent());
        json.writeValue(FILE.toFile(), report(run, sides));
        LOG.infof("bench: wrote %s (%s)", FILE.toAbsolutePath(), side);
    }

    private static Map<String, Object> report(String run, Map<String, Object> sides) {
        Double one = rate(sides.get(ONE_PROFILE));
        Double all = rate(sides.get(ALL_PROFILES));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "profiles");
        report.put("at", Instant.now().toString());
        report.put("one_profile_noop_observations_per_second", one);
        report.put("all_profiles_noop_observations_per_second", all);
        Double ratio = one == null || all == null ? null : Math.round(all / one * 1000) / 1000.0;
        report.put("all_to_one_ratio", ratio);
        report.put("target_ratio_min", TARGET_RATIO);
        report.put("met", ratio == null ? null : ratio >= TARGET_RATIO);
        if (ratio == null) {
            report.put(
                    "missing",
                    "one side was not measured in this run: the ratio needs IngestBenchmark and "
                            + "ProfilesBenchmark in one mvn run");
        }
        report.put(
                "claim",
                "the pods carry stagewatch's labels only, so every redelivery is refused by devtron, "
                        + "tekton, argo and job before stagewatch claims it (the worst case); the pods' namespace is one of "
                        + "Devtron's and the job selector is the stage label, so each refusal reads labels, not only the "
                        + "namespace");
        report.put("runs", sides);
        report.put("jvm", run);
        report.put("cores", Runtime.getRuntime().availableProcessors());
        return report;
    }

    private static Double rate(Object side) {
        return side instanceof Map<?, ?> measured
                ? ((Number) measured.get("noop_observations_per_second")).doubleValue()
                : null;
    }
}
