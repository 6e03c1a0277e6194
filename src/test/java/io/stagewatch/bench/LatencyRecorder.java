package io.stagewatch.bench;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Exact latencies of one timer. Added to the application's composite registry, it receives every value the pipeline
 * records on {@code stagewatch.transitions.latency} (observation to commit) and keeps each one, so percentiles of a
 * phase are computed exactly from the values recorded between two {@link #mark() marks}. (The application's own
 * percentile histogram has buckets about 25% apart: too coarse to tell 18 ms from 22 ms.)
 */
final class LatencyRecorder extends SimpleMeterRegistry {

    private final String timerName;
    private final AtomicLongArray nanos;
    private final AtomicLongArray at;
    private final AtomicInteger size = new AtomicInteger();

    LatencyRecorder(String timerName, int capacity) {
        this.timerName = timerName;
        this.nanos = new AtomicLongArray(capacity);
        this.at = new AtomicLongArray(capacity);
        // every other meter of the application stays a no-op here, so the benchmark adds next to nothing to the
        // pipeline
        config().meterFilter(MeterFilter.denyUnless(id -> id.getName().equals(timerName)));
    }

    @Override
    protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
        if (!id.getName().equals(timerName)) {
            return super.newTimer(id, config, pauseDetector);
        }
        return new CumulativeTimer(
                id,
                clock,
                DistributionStatisticConfig.NONE.merge(DistributionStatisticConfig.DEFAULT),
                pauseDetector,
                getBaseTimeUnit(),
                false) {
            @Override
            protected void recordNonNegative(long amount, TimeUnit unit) {
                super.recordNonNegative(amount, unit);
                int index = size.getAndIncrement();
                if (index < nanos.length()) {
                    nanos.set(index, unit.toNanos(amount));
                    at.set(index, System.nanoTime());
                }
            }
        };
    }

    /** How many values were recorded so far. */
    int mark() {
        return size.get();
    }

    /** The values recorded between two marks, sorted, in nanoseconds. */
    long[] sorted(int from, int to) {
        if (to > nanos.length()) {
            throw new IllegalStateException("more than " + nanos.length() + " latencies recorded");
        }
        long[] values = new long[to - from];
        for (int i = from; i < to; i++) {
            values[i - from] = nanos.get(i);
        }
        Arrays.sort(values);
        return values;
    }

    /**
     * Percentiles per {@code bucketNanos} of commit time from {@code start}, to tell one stall (all the slow commits
     * within one bucket) from a spread-out tail: each element is {from_s, samples, p50_ms, p99_ms, max_ms}.
     */
    List<Map<String, Object>> byCommitTime(int from, int to, long start, long bucketNanos) {
        Map<Long, List<Long>> buckets = new TreeMap<>();
        for (int i = from; i < to; i++) {
            buckets.computeIfAbsent(Math.max(0, at.get(i) - start) / bucketNanos, k -> new ArrayList<>())
                    .add(nanos.get(i));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        buckets.forEach((bucket, values) -> {
            long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("from_s", bucket * bucketNanos / 1e9);
            row.put("samples", sorted.length);
            row.put("p50_ms", Math.round(percentileMillis(sorted, 0.5) * 1000) / 1000.0);
            row.put("p99_ms", Math.round(percentileMillis(sorted, 0.99) * 1000) / 1000.0);
            row.put("max_ms", Math.round(percentileMillis(sorted, 1.0) * 1000) / 1000.0);
            out.add(row);
        });
        return out;
    }

    /** Nearest-rank percentile of sorted values, in milliseconds. */
    static double percentileMillis(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    /** Nearest-rank percentiles of sorted nanosecond latencies, in milliseconds, with what they measure. */
    static Map<String, Object> report(long[] sorted, String what) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("p50", round3(percentileMillis(sorted, 0.50)));
        report.put("p90", round3(percentileMillis(sorted, 0.90)));
        report.put("p99", round3(percentileMillis(sorted, 0.99)));
        report.put("p999", round3(percentileMillis(sorted, 0.999)));
        report.put("max", round3(percentileMillis(sorted, 1.0)));
        report.put("samples", sorted.length);
        report.put("what", what);
        return report;
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
